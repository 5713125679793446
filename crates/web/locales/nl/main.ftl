# Regie — Nederlandse teksten (standaardtaal). Elke sleutel staat ook in en/main.ftl.

## Navigatie en kader
nav-skip = Naar de inhoud
nav-label = Hoofdmenu
nav-home = Overzicht
nav-clients = Cliënten
nav-users = Gebruikers
nav-teams = Teams
nav-audit = Logboek
nav-logout = Uitloggen
lang-label = Taal
footer-text = Regie — samen werken aan zelfredzaamheid, met de cliënt aan het roer.

## Inloggen
login-title = Inloggen
login-intro = Log in met uw gebruikersnaam en wachtwoord.
login-username = Gebruikersnaam
login-password = Wachtwoord
login-submit = Inloggen
login-missing = Vul uw gebruikersnaam en wachtwoord in.
login-rejected = De gebruikersnaam of het wachtwoord klopt niet. Probeer het opnieuw.
login-wait = { $seconds ->
    [one] Te veel mislukte pogingen. Wacht 1 seconde en probeer het dan opnieuw.
   *[other] Te veel mislukte pogingen. Wacht { $seconds } seconden en probeer het dan opnieuw.
}
login-locked = { $minutes ->
    [one] Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over 1 minuut opnieuw, of vraag de beheerder om een nieuw wachtwoord.
   *[other] Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over { $minutes } minuten opnieuw, of vraag de beheerder om een nieuw wachtwoord.
}

## Overzicht
home-title = Overzicht
home-greeting = Welkom, { $name }
home-hint-professional = U ziet de cliënten van de teams waarin u werkt.
home-hint-team-lead = U ziet de cliënten van uw teams. Overzichten van uitkomsten volgen.
home-hint-admin = U beheert teams en gebruikers. Dossiers van cliënten ziet u alleen als u zelf in het team zit.
home-hint-analyst = Als analist ziet u alleen samengevatte gegevens, nooit een dossier van één cliënt.
home-clients-card = Zoek en open de cliënten van uw teams.
home-users-card = Gebruikers toevoegen, wijzigen of deactiveren.
home-teams-card = Teams aanmaken en beheren.
home-audit-card = Wie heeft wanneer welk dossier bekeken of gewijzigd (NEN 7513).

## Cliënten
clients-title = Cliënten
clients-search-label = Zoek op naam
clients-mine = Mijn cliënt
clients-none = Geen cliënten gevonden.
clients-count = { $count ->
    [one] 1 cliënt
   *[other] { $count } cliënten
}
client-back = ← Terug naar cliënten
client-back-to-record = ← Terug naar het dossier
client-new-title = Nieuwe cliënt
client-edit-title = Gegevens wijzigen
client-edit = Gegevens wijzigen
client-register = Cliënt aanmelden
client-section-person = Persoonsgegevens
client-section-contact = Adres en contact
client-section-care = Aanmelding
client-no-details = Er zijn nog geen persoonsgegevens vastgelegd.
client-name = Naam
client-name-hint = Zoals de cliënt aangesproken wil worden, bijvoorbeeld ‘mevrouw De Boer’ of ‘Jannie de Boer’.
client-date-of-birth = Geboortedatum
client-age = { $date } ({ $age } jaar)
client-bsn = Burgerservicenummer (BSN)
client-bsn-hint = Niet verplicht. Wordt afgeschermd getoond; u kunt een cliënt vinden door het hele nummer te zoeken.
client-bsn-keep = Vastgelegd: { $masked }. Laat dit veld leeg om het nummer te houden.
client-living-situation = Woonsituatie
client-address = Adres
client-street = Straat
client-house-number = Huisnummer
client-postcode = Postcode
client-postcode-hint = Bijvoorbeeld 1234 AB.
client-city = Plaats
client-phone = Telefoon
client-email = E-mail
client-referrer = Aangemeld door
client-referrer-hint = Bijvoorbeeld de huisarts, het ziekenhuis, het Wmo-loket, een naaste of de cliënt zelf.
living-alone = Alleenwonend
living-with-partner = Met partner
living-with-others = Met anderen (bijvoorbeeld kinderen)
living-institution = In een instelling
error-client-team-not-yours = U kunt alleen teams kiezen waarin u zelf werkt.
error-bsn-taken = Er is al een cliënt met dit burgerservicenummer. Zoek op het nummer om het dossier te vinden.
client-teams = Teams rond deze cliënt
client-dossier-coming = Het volledige dossier (vraagverheldering, doelen, plan) komt hier.

## Beheer: teams
admin-teams-title = Teams
admin-teams-back = ← Terug naar teams
admin-organisation-name = Naam van de organisatie
admin-team-new = Nieuw team
admin-team-create = Team aanmaken
admin-team-edit-title = Team wijzigen
team-name = Naam van het team
team-members = Leden
team-active = Team is actief
team-active-hint = Een inactief team blijft bewaard in de geschiedenis, maar geeft geen toegang meer tot cliënten.

## Beheer: gebruikers
admin-users-title = Gebruikers
admin-users-back = ← Terug naar gebruikers
admin-user-new-title = Nieuwe gebruiker
admin-user-edit-title = Gebruiker wijzigen
admin-password-title = Nieuw wachtwoord instellen
admin-password-set = Wachtwoord opslaan
admin-password-saved = Het nieuwe wachtwoord is opgeslagen. Een eventuele blokkade is opgeheven.
admin-access-title = Toegang
admin-deactivate = Gebruiker deactiveren
admin-deactivate-hint = Een gedeactiveerde gebruiker kan niet meer inloggen. Alles wat deze persoon vastlegde blijft bewaard. U kunt de gebruiker later weer activeren.
admin-deactivate-confirm = Weet u zeker dat u deze gebruiker wilt deactiveren? De gebruiker kan daarna niet meer inloggen.
admin-reactivate = Gebruiker weer activeren
admin-reactivate-hint = Deze gebruiker kan niet inloggen.
user-username = Gebruikersnaam
user-username-hint = Kleine letters, cijfers, punt, streepje of liggend streepje; 2 tot 64 tekens.
user-username-fixed = Een gebruikersnaam verandert niet: het logboek verwijst ernaar.
user-full-name = Volledige naam
user-discipline = Discipline
user-role = Rol
user-role-hint = De rol bepaalt wat iemand mag beheren. Toegang tot dossiers loopt altijd via een team.
user-teams = Teams
user-teams-hint = Wie in een team zit, ziet de cliënten van dat team.
user-password = Wachtwoord
user-password-hint = Minstens 10 tekens. Een zin van een paar woorden is sterk en goed te onthouden.

## Rollen en disciplines
role-admin = Beheerder
role-team-lead = Teamleider
role-professional = Professional
role-analyst = Analist
discipline-wijkverpleegkundige = Wijkverpleegkundige
discipline-verzorgende = Verzorgende
discipline-ergotherapeut = Ergotherapeut
discipline-fysiotherapeut = Fysiotherapeut
discipline-hulp-bij-het-huishouden = Hulp bij het huishouden
discipline-wmo-consulent = Wmo-consulent
discipline-sociaal-werker = Sociaal werker
discipline-techcoach = Techcoach
discipline-casemanager = Casemanager
discipline-anders = Anders

## Logboek (NEN 7513)
audit-title = Logboek
audit-intro = Elke inzage, zoekactie en wijziging van cliëntgegevens, elke inlogpoging en elke geweigerde toegang staat hier. Het logboek kan niet worden gewijzigd.
audit-event = Gebeurtenis
audit-outcome = Uitkomst
audit-user = Gebruiker
audit-role = Rol
audit-on-behalf-of = Namens
audit-self = zichzelf
audit-client = Cliëntnummer
audit-object = Object
audit-source = Adres
audit-detail = Toelichting
audit-time = Tijdstip
audit-from = Vanaf datum
audit-until = Tot en met datum
audit-filter = Filteren
audit-filter-ignored = Het filter { $field } met de waarde “{ $value }” is niet gebruikt: die waarde is ongeldig.
audit-count = { $count ->
    [one] 1 regel
   *[other] { $count } regels
}
audit-outcome-allowed = toegestaan
audit-outcome-denied = geweigerd
audit-outcome-failed = mislukt
audit-event-login-succeeded = Ingelogd
audit-event-login-failed = Inloggen mislukt
audit-event-logout = Uitgelogd
audit-event-client-search = Cliënten gezocht
audit-event-client-read = Dossier ingezien
audit-event-client-create = Cliënt aangemaakt
audit-event-client-update = Dossier gewijzigd
audit-event-client-print = Dossier afgedrukt
audit-event-client-export = Dossier geëxporteerd
audit-event-user-create = Gebruiker aangemaakt
audit-event-user-update = Gebruiker gewijzigd
audit-event-user-deactivate = Gebruiker gedeactiveerd
audit-event-user-password = Wachtwoord gewijzigd
audit-event-team-create = Team aangemaakt
audit-event-team-update = Team gewijzigd
audit-event-token-create = API-sleutel aangemaakt
audit-event-audit-read = Logboek ingezien
audit-event-organisation-update = Organisatie gewijzigd
audit-event-instrument-import = Instrument geïmporteerd
audit-event-admin-access = Beheerpagina geopend

## Algemeen
common-search = Zoeken
common-save = Opslaan
common-edit = Wijzigen
common-status = Status
common-actions = Acties
common-active = Actief
common-inactive = Inactief
common-all = Alle
common-pages = Pagina's
common-previous = ← Vorige
common-next = Volgende →
common-page-of = Pagina { $page } van { $pages }

## Foutmeldingen
error-status = Foutcode
error-home-link = Naar het overzicht
error-form-summary = Niet alles is goed ingevuld. Kijk bij de velden hieronder wat er moet veranderen.
error-not-found-title = Pagina niet gevonden
error-not-found-detail = Deze pagina bestaat niet (meer). Controleer het adres of ga terug naar het overzicht.
error-forbidden-title = Geen toegang
error-forbidden-detail = U heeft geen toegang tot deze gegevens. Toegang tot een cliënt loopt via een team dat de cliënt ondersteunt. Deze poging is vastgelegd in het logboek.
error-unauthenticated-title = Inloggen nodig
error-unauthenticated-detail = Log eerst in om verder te gaan.
error-invalid-title = Ongeldige invoer
error-invalid-detail = Een of meer velden zijn niet goed ingevuld.
error-conflict-title = Bestaat al
error-conflict-detail = Dit bestaat al. Kies een andere waarde.
error-internal-title = Er ging iets mis
error-internal-detail = Er ging aan onze kant iets mis. Er is niets half opgeslagen. Probeer het later opnieuw.
error-csrf-title = Verzoek geweigerd
error-csrf-detail = Dit verzoek kwam niet van een pagina van Regie en is daarom geweigerd.
error-method-title = Niet toegestaan
error-method-detail = Deze actie is op dit adres niet mogelijk.
error-bad-request-title = Ongeldig verzoek
error-bad-request-detail = Het verzoek kon niet worden gelezen. Controleer de invoer en probeer het opnieuw.
error-throttled-title = Even wachten
error-throttled-detail = Te veel pogingen in korte tijd. Wacht even en probeer het opnieuw.
error-required = Dit veld is verplicht.
error-username-format = Gebruik 2 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje.
error-username-taken = Deze gebruikersnaam is al in gebruik.
error-name-format = Gebruik hooguit 200 tekens, zonder speciale tekens.
error-password-short = Het wachtwoord moet minstens 10 tekens hebben.
error-password-long = Het wachtwoord mag hooguit 256 tekens hebben.
error-role-unknown = Kies een rol uit de lijst.
error-discipline-unknown = Kies een discipline uit de lijst.
error-team-exists = Er is al een team met deze naam.
error-language-unknown = Kies Nederlands of Engels.
error-own-admin-role = U kunt uw eigen beheerdersrol niet afnemen.
error-own-deactivate = U kunt uzelf niet deactiveren.
error-bsn-invalid = Dit is geen geldig burgerservicenummer: controleer de 9 cijfers.
error-postcode-invalid = Vul een postcode in zoals 1234 AB.
error-question-type-unknown = Kies een soort vraag uit de lijst.
error-question-type-required = Kies minstens één soort vraag.
error-phase-unknown = Kies een fase uit de lijst.
error-phase-transition = Deze stap is vanuit de huidige fase niet mogelijk.
error-closure-required = Kies hoe het traject wordt afgesloten.
error-closure-stopped-early-only = Voordat het plan wordt uitgevoerd, kan een traject alleen voortijdig stoppen.
error-closure-not-closing = Een afsluiting hoort alleen bij het afsluiten van het traject.
error-perspective-unknown = Kies wiens beeld dit is: cliënt, professional of naaste.
error-level-range = Kies een niveau van 1 tot en met 5, of ‘niet besproken’.
error-split-total = De verdeling over eigen kracht, netwerk en professionele hulp moet samen 100% zijn.
error-support-range = Kies een hulpniveau van 0 tot en met 4, of ‘niet van toepassing’.
error-living-situation-unknown = Kies een woonsituatie uit de lijst.
error-text-too-long = Deze tekst is te lang of bevat ongeldige tekens.
error-date-format = Vul een bestaande datum in (dag, maand en jaar).
error-date-of-birth-range = Deze geboortedatum kan niet kloppen: hij ligt in de toekomst of meer dan 120 jaar terug.
error-phone-format = Vul een telefoonnummer in van 10 tot 15 cijfers, bijvoorbeeld 06 1234 5678.
error-email-format = Vul een e-mailadres in zoals naam@voorbeeld.nl.
error-address-incomplete = Vul het hele adres in: straat, huisnummer, postcode en plaats.
error-client-team-required = Kies minstens één team dat deze cliënt ondersteunt.

## Trajecten
client-trajectories = Trajecten
client-no-trajectories = Er is nog geen traject.
client-trajectory-link = Traject vanaf { $start } — { $phase }
trajectory-title = Traject
trajectory-new-title = Traject starten
trajectory-start = Traject starten
trajectory-question = De vraag, in de woorden van de cliënt
trajectory-question-hint = Schrijf op wat de cliënt zelf zegt, bijvoorbeeld ‘Ik wil weer zelf kunnen douchen’.
trajectory-question-types = Soort vraag
trajectory-referral-source = Aangemeld via
trajectory-start-date = Startdatum
trajectory-coordinator = Coördinator
trajectory-coordinator-hint = Eén persoon uit een team van de cliënt houdt het overzicht.
trajectory-phases = Fasen van het traject
trajectory-phase = Fase
trajectory-closure = Afsluiting
trajectory-next-step = Volgende stap
trajectory-move-to = Naar { $phase }
trajectory-close = Traject afsluiten
trajectory-close-how = Hoe wordt het traject afgesloten?
trajectory-close-confirm = Weet u zeker dat u dit traject wilt afsluiten? Een afgesloten traject gaat niet meer open.
trajectory-timeline = Tijdlijn
closure-no-care-needed = Geen zorg of ondersteuning meer nodig
closure-referred = Doorverwezen naar (langdurige) zorg of ondersteuning
closure-stopped-early = Voortijdig gestopt
closure-referred-to = Doorverwezen naar { $to }
closure-stopped-early-because = Voortijdig gestopt: { $reason }
closure-referred-to-label = Doorverwezen naar (bij doorverwijzing)
closure-reason-label = Reden (bij voortijdig stoppen)
timeline-assessment = Beeld vastgelegd: { $perspective } ({ $moment })
timeline-matters = Wat ertoe doet vastgelegd: { $kind }
timeline-activities = Dagelijkse activiteiten vastgelegd
timeline-started = Traject gestart (aanmelding)
timeline-phase = Naar fase { $phase }
timeline-closed = Afgesloten: { $how }
phase-aanmelding = Aanmelding
phase-vraagverheldering = Vraagverheldering
phase-planvorming = Planvorming
phase-uitvoering = Uitvoering
phase-afgesloten = Afgesloten
question-type-wijkverpleging = Wijkverpleging
question-type-paramedische-zorg = Paramedische zorg
question-type-hulp-bij-het-huishouden = Hulp bij het huishouden
question-type-mantelzorgondersteuning = Mantelzorgondersteuning
question-type-vervoersvoorzieningen = Vervoersvoorzieningen
question-type-dagbesteding = Dagbesteding
question-type-begeleiding = Begeleiding
error-trajectory-active = Deze cliënt heeft al een lopend traject. Sluit dat eerst af.
error-coordinator-required = Kies een coördinator.
error-coordinator-not-on-team = De coördinator moet in een team van deze cliënt werken.
error-start-date-range = Kies een startdatum binnen een jaar van vandaag.
error-phase-changed-meanwhile = Iemand anders heeft de fase net gewijzigd. Bekijk de actuele stand en probeer het opnieuw.

## Vraagverheldering: zelfredzaamheid per levensgebied
trajectory-assessment-hint = Hoe zelfredzaam is de cliënt per levensgebied? Leg het beeld van de cliënt en dat van de professional vast en leg ze naast elkaar.
trajectory-assessment-link = Naar zelfredzaamheid per levensgebied
assessment-title = Zelfredzaamheid per levensgebied
assessment-intro = Het beeld van de cliënt en dat van de professional staan naast elkaar. Waar ze 2 niveaus of meer verschillen, is het goed om samen te bespreken hoe dat komt.
assessment-back = ← Terug naar het traject
assessment-back-overview = ← Terug naar het overzicht
assessment-record = Beeld vastleggen
assessment-none = Er is nog niets vastgelegd. Begin met het beeld van de cliënt: hoe ziet de cliënt het zelf?
assessment-compare-title = Cliënt en professional naast elkaar
assessment-domain = Levensgebied
assessment-talk-about = Om te bespreken
assessment-flag-intro = Bij sommige levensgebieden verschillen de beelden 2 niveaus of meer. Vraag de cliënt hoe hij of zij het ziet: mensen worden soms overschat en soms onderschat.
assessment-flag-professional-higher = { $gap ->
    [one] De professional schat de cliënt 1 niveau hoger in. Overschatten we de cliënt?
   *[other] De professional schat de cliënt { $gap } niveaus hoger in. Overschatten we de cliënt?
}
assessment-flag-client-higher = { $gap ->
    [one] De cliënt schat zichzelf 1 niveau hoger in. Overschat de cliënt zichzelf, of onderschatten wij de cliënt?
   *[other] De cliënt schat zichzelf { $gap } niveaus hoger in. Overschat de cliënt zichzelf, of onderschatten wij de cliënt?
}
assessment-chart-title = Niveaus per levensgebied door de tijd
assessment-chart-description = Per levensgebied het niveau van 1 (acute problematiek) tot 5 (volledig zelfredzaam), per perspectief. Het meest recente beeld is een vol symbool; eerdere beelden zijn licht, met een lijn naar het volgende.
assessment-chart-table = De gegevens van de grafiek als tabel
assessment-new-title = Beeld vastleggen: { $perspective }
assessment-moment = Moment
assessment-respondent = Naam van de naaste
assessment-form-hint = Kies per levensgebied een niveau, of ‘niet besproken’. Vink aan waar de cliënt aan wil werken.
assessment-level = Niveau
assessment-choose = Kies een niveau
assessment-not-discussed = Niet besproken
assessment-wants = Wil hieraan werken
assessment-more = Meer vastleggen: verdeling, sterke kanten, toelichting
assessment-split = Waar komt de zelfredzaamheid vandaan? (samen 100%)
assessment-split-own = Eigen kracht (%)
assessment-split-network = Netwerk (%)
assessment-split-professional = Professionele hulp (%)
assessment-strengths = Sterke kanten
assessment-note = Toelichting
assessment-save = Beeld opslaan
perspective-client = Cliënt
perspective-professional = Professional
perspective-network-member = Naaste
moment-intake = Intake
moment-evaluation = Evaluatie
moment-closure = Afsluiting
error-moment-unknown = Kies een moment uit de lijst.
error-respondent-required = Vul de naam in van de naaste wiens beeld dit is.
error-domain-missing = Niet elk levensgebied is ingevuld. Kies bij elk een niveau of ‘niet besproken’.
error-domain-unknown = Het formulier bevat een levensgebied dat dit instrument niet kent. Laad de pagina opnieuw.

## Wat ertoe doet
matters-title = Wat ertoe doet
matters-intro = Wat is belangrijk voor de cliënt, wat geeft motivatie, en wat houdt de cliënt tegen? Vraag bijvoorbeeld: ‘Wat maakt dat u het liever niet zelf doet?’
matters-none = Er is nog niets vastgelegd.
matters-kind = Waarover gaat het?
matters-text = Wat zegt de cliënt?
matters-hint = Schrijf het zo veel mogelijk in de woorden van de cliënt.
matters-save = Vastleggen
matters-important = Wat belangrijk is
matters-motivation = Motivatie
matters-barrier = Belemmeringen en overtuigingen
error-matters-kind-unknown = Kies waarover het gaat.

## Dagelijkse activiteiten
trajectory-activities-link = Naar dagelijkse activiteiten
activities-title = Dagelijkse activiteiten
activities-intro = Hoeveel hulp krijgt de cliënt nu bij elke activiteit, en wat wil de cliënt (weer) zelf leren doen? Van 0 (doet het zelf) tot 4 (helemaal overgenomen).
activities-last-recorded = Laatst vastgelegd op { $date } door { $name }. Opslaan legt een nieuwe stand vast; de vorige blijft bewaard.
activities-activity = Activiteit
activities-support-now = Hulp nu
activities-wants-to-learn = Wil (weer) leren
activities-yes = Ja
activities-choose = Kies
activities-not-applicable = Niet van toepassing
activities-save = Opslaan
error-activity-missing = Niet elke activiteit is ingevuld. Kies bij elk een hulpniveau of ‘niet van toepassing’.

## Netwerk
network-title = Netwerk
network-intro = Wie zijn er om de cliënt heen, waarmee helpen ze, en vraagt de cliënt hen om hulp? Hulp vragen hoort ook bij zelfredzaamheid.
network-summary-title = Hoe ziet de cliënt het zelf?
network-summary-question = Vraagt de cliënt genoeg hulp?
network-balance-question = Voelen geven en ontvangen in balans?
network-not-yet = Nog niet besproken
network-summary-asks-enough = Vraagt mensen genoeg om hulp
network-summary-has-people-but-does-not-ask = Heeft mensen, maar vraagt ze niet
network-summary-too-few-people = Heeft te weinig mensen om te vragen
network-balance-in-balance = In balans
network-balance-receives-more = Ontvangt meer dan hij of zij geeft
network-balance-gives-more = Geeft meer dan hij of zij ontvangt
network-people = Mensen om de cliënt heen
network-nobody = Er is nog niemand vastgelegd.
network-name = Naam
network-relation = Relatie
network-relation-hint = Bijvoorbeeld dochter, buurman, vriendin.
network-helps-with = Helpt met
network-how-often = Hoe vaak
network-contact = Contact
network-asks = Vraagt de cliënt hulp?
network-asks-question = Vraagt de cliënt deze persoon om hulp?
network-asks-asks = Ja, vraagt om hulp
network-asks-could-but-does-not = Zou kunnen, maar vraagt niet
network-carer = Mantelzorg
network-is-carer = Deze persoon is mantelzorger
network-load = Belasting (0–10)
network-capacity = Draagkracht (0–10)
network-carer-hint = Alleen voor een mantelzorger: hoe zwaar is het nu (belasting) en hoeveel kan hij of zij aan (draagkracht)?
network-carer-scores = Belasting { $load }, draagkracht { $capacity }
network-overloaded = Overbelast: de belasting is groter dan de draagkracht. Bespreek wat kan helpen.
network-add = Iemand toevoegen
network-add-button = Toevoegen
error-choice-unknown = Kies een van de mogelijkheden.
error-score-range = Kies een getal van 0 tot en met 10.
