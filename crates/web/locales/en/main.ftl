# Regie — English messages. Every key also exists in nl/main.ftl.

## Navigation and frame
nav-skip = Skip to content
nav-label = Main menu
nav-home = Overview
nav-clients = Clients
nav-users = Users
nav-teams = Teams
nav-audit = Audit log
nav-logout = Sign out
lang-label = Language
footer-text = Regie — working together on self-reliance, with the client at the helm.

## Signing in
login-title = Sign in
login-intro = Sign in with your user name and password.
login-username = User name
login-password = Password
login-submit = Sign in
login-missing = Enter your user name and password.
login-rejected = The user name or password is not correct. Please try again.
login-wait = { $seconds ->
    [one] Too many failed attempts. Wait 1 second, then try again.
   *[other] Too many failed attempts. Wait { $seconds } seconds, then try again.
}
login-locked = { $minutes ->
    [one] This account is locked for a while after too many failed attempts. Try again in 1 minute, or ask the administrator for a new password.
   *[other] This account is locked for a while after too many failed attempts. Try again in { $minutes } minutes, or ask the administrator for a new password.
}

## Overview
home-title = Overview
home-greeting = Welcome, { $name }
home-hint-professional = You see the clients of the teams you work in.
home-hint-team-lead = You see the clients of your teams. Outcome overviews will follow.
home-hint-admin = You manage teams and users. You see client records only when you are on the team yourself.
home-hint-analyst = As an analyst you see aggregated figures only, never the record of an individual client.
home-clients-card = Find and open the clients of your teams.
home-users-card = Add, change or deactivate users.
home-teams-card = Create and manage teams.
home-audit-card = Who viewed or changed which record, and when (NEN 7513).

## Clients
clients-title = Clients
clients-search-label = Search by name
clients-mine = My client
clients-none = No clients found.
clients-count = { $count ->
    [one] 1 client
   *[other] { $count } clients
}
client-back = ← Back to clients
client-back-to-record = ← Back to the record
client-new-title = New client
client-edit-title = Edit details
client-edit = Edit details
client-register = Register client
client-section-person = Personal details
client-section-contact = Address and contact
client-section-care = Referral
client-no-details = No personal details have been recorded yet.
client-name = Name
client-name-hint = As the client wishes to be addressed, for example ‘Mrs De Boer’ or ‘Jannie de Boer’.
client-date-of-birth = Date of birth
client-age = { $date } ({ $age } years)
client-bsn = Citizen service number (BSN)
client-bsn-hint = Optional. Shown masked; you can find a client by searching for the whole number.
client-bsn-keep = On record: { $masked }. Leave this field empty to keep the number.
client-living-situation = Living situation
client-address = Address
client-street = Street
client-house-number = House number
client-postcode = Postcode
client-postcode-hint = For example 1234 AB.
client-city = Town
client-phone = Phone
client-email = Email
client-referrer = Referred by
client-referrer-hint = For example the GP, the hospital, the social support (Wmo) desk, a relative or the client themselves.
living-alone = Living alone
living-with-partner = With a partner
living-with-others = With others (for example children)
living-institution = In an institution
error-client-team-not-yours = You can only choose teams you work in yourself.
error-bsn-taken = There already is a client with this citizen service number. Search for the number to find the record.
client-teams = Teams around this client
client-dossier-coming = The full record (assessment, goals, plan) will appear here.

## Administration: teams
admin-teams-title = Teams
admin-teams-back = ← Back to teams
admin-organisation-name = Name of the organisation
admin-team-new = New team
admin-team-create = Create team
admin-team-edit-title = Edit team
team-name = Team name
team-members = Members
team-active = Team is active
team-active-hint = An inactive team stays in the history, but no longer gives access to clients.

## Administration: users
admin-users-title = Users
admin-users-back = ← Back to users
admin-user-new-title = New user
admin-user-edit-title = Edit user
admin-password-title = Set a new password
admin-password-set = Save password
admin-password-saved = The new password has been saved. Any lock on the account has been lifted.
admin-access-title = Access
admin-deactivate = Deactivate user
admin-deactivate-hint = A deactivated user can no longer sign in. Everything this person recorded is kept. You can reactivate the user later.
admin-deactivate-confirm = Are you sure you want to deactivate this user? They will no longer be able to sign in.
admin-reactivate = Reactivate user
admin-reactivate-hint = This user cannot sign in.
user-username = User name
user-username-hint = Lower-case letters, digits, full stop, hyphen or underscore; 2 to 64 characters.
user-username-fixed = A user name does not change: the audit log refers to it.
user-full-name = Full name
user-discipline = Discipline
user-role = Role
user-role-hint = The role decides what someone may manage. Access to client records always goes through a team.
user-teams = Teams
user-teams-hint = Members of a team see that team's clients.
user-password = Password
user-password-hint = At least 10 characters. A sentence of a few words is strong and easy to remember.

## Roles and disciplines
role-admin = Administrator
role-team-lead = Team lead
role-professional = Professional
role-analyst = Analyst
discipline-wijkverpleegkundige = District nurse
discipline-verzorgende = Care worker
discipline-ergotherapeut = Occupational therapist
discipline-fysiotherapeut = Physiotherapist
discipline-hulp-bij-het-huishouden = Home help
discipline-wmo-consulent = Social support (Wmo) consultant
discipline-sociaal-werker = Social worker
discipline-techcoach = Technology coach
discipline-casemanager = Case manager
discipline-anders = Other

## Audit log (NEN 7513)
audit-title = Audit log
audit-intro = Every view, search and change of client data, every sign-in attempt and every denied access is listed here. The log cannot be changed.
audit-event = Event
audit-outcome = Outcome
audit-user = User
audit-role = Role
audit-on-behalf-of = On behalf of
audit-self = themselves
audit-client = Client number
audit-object = Object
audit-source = Address
audit-detail = Detail
audit-time = Time
audit-from = From date
audit-until = Up to and including
audit-filter = Filter
audit-filter-ignored = The filter { $field } with the value “{ $value }” was not applied: the value is not valid.
audit-count = { $count ->
    [one] 1 entry
   *[other] { $count } entries
}
audit-outcome-allowed = allowed
audit-outcome-denied = denied
audit-outcome-failed = failed
audit-event-login-succeeded = Signed in
audit-event-login-failed = Sign-in failed
audit-event-logout = Signed out
audit-event-client-search = Searched clients
audit-event-client-read = Viewed record
audit-event-client-create = Created client
audit-event-client-update = Changed record
audit-event-client-print = Printed record
audit-event-client-export = Exported record
audit-event-user-create = Created user
audit-event-user-update = Changed user
audit-event-user-deactivate = Deactivated user
audit-event-user-password = Changed password
audit-event-team-create = Created team
audit-event-team-update = Changed team
audit-event-token-create = Created API token
audit-event-audit-read = Viewed audit log
audit-event-organisation-update = Changed organisation
audit-event-instrument-import = Imported instrument
audit-event-admin-access = Opened an admin page

## General
common-search = Search
common-save = Save
common-edit = Edit
common-status = Status
common-actions = Actions
common-active = Active
common-inactive = Inactive
common-all = All
common-pages = Pages
common-previous = ← Previous
common-next = Next →
common-page-of = Page { $page } of { $pages }

## Errors
error-status = Error code
error-home-link = Go to the overview
error-form-summary = Not everything is filled in correctly. See the fields below for what to change.
error-not-found-title = Page not found
error-not-found-detail = This page does not exist (any more). Check the address or go back to the overview.
error-forbidden-title = No access
error-forbidden-detail = You have no access to this information. Access to a client goes through a team that supports the client. This attempt has been recorded in the audit log.
error-unauthenticated-title = Please sign in
error-unauthenticated-detail = Sign in first to continue.
error-invalid-title = Invalid input
error-invalid-detail = One or more fields are not filled in correctly.
error-conflict-title = Already exists
error-conflict-detail = This already exists. Choose another value.
error-internal-title = Something went wrong
error-internal-detail = Something went wrong on our side. Nothing was half saved. Please try again later.
error-csrf-title = Request refused
error-csrf-detail = This request did not come from a Regie page and has therefore been refused.
error-method-title = Not allowed
error-method-detail = This action is not possible at this address.
error-bad-request-title = Invalid request
error-bad-request-detail = The request could not be read. Check the input and try again.
error-throttled-title = Please wait
error-throttled-detail = Too many attempts in a short time. Wait a moment and try again.
error-required = This field is required.
error-username-format = Use 2 to 64 characters: lower-case letters, digits, full stop, hyphen or underscore.
error-username-taken = This user name is already taken.
error-name-format = Use at most 200 characters, without special characters.
error-password-short = The password must have at least 10 characters.
error-password-long = The password may have at most 256 characters.
error-role-unknown = Choose a role from the list.
error-discipline-unknown = Choose a discipline from the list.
error-team-exists = A team with this name already exists.
error-language-unknown = Choose Dutch or English.
error-own-admin-role = You cannot remove your own administrator role.
error-own-deactivate = You cannot deactivate yourself.
error-bsn-invalid = This is not a valid citizen service number (BSN): check the 9 digits.
error-postcode-invalid = Enter a postcode like 1234 AB.
error-question-type-unknown = Choose a type of question from the list.
error-question-type-required = Choose at least one type of question.
error-phase-unknown = Choose a phase from the list.
error-phase-transition = This step is not possible from the current phase.
error-closure-required = Choose how the trajectory is closed.
error-closure-stopped-early-only = Before the plan is carried out, a trajectory can only stop early.
error-closure-not-closing = A closure only belongs to closing the trajectory.
error-perspective-unknown = Choose whose view this is: client, professional or network member.
error-level-range = Choose a level from 1 to 5, or ‘not discussed’.
error-split-total = The split between own strength, network and professional help must add up to 100%.
error-support-range = Choose a support level from 0 to 4, or ‘not applicable’.
error-living-situation-unknown = Choose a living situation from the list.
error-text-too-long = This text is too long or contains characters that are not allowed.
error-date-format = Enter a date that exists (day, month and year).
error-date-of-birth-range = This date of birth cannot be right: it is in the future or more than 120 years ago.
error-phone-format = Enter a phone number of 10 to 15 digits, for example 06 1234 5678.
error-email-format = Enter an email address like name@example.nl.
error-address-incomplete = Enter the whole address: street, house number, postcode and town.
error-client-team-required = Choose at least one team that supports this client.

## Trajectories
client-trajectories = Trajectories
client-no-trajectories = There is no trajectory yet.
client-trajectory-link = Trajectory from { $start } — { $phase }
trajectory-title = Trajectory
trajectory-new-title = Start a trajectory
trajectory-start = Start trajectory
trajectory-question = The question, in the client's own words
trajectory-question-hint = Write down what the client says, for example ‘I want to be able to shower on my own again’.
trajectory-question-types = Type of question
trajectory-referral-source = Referred through
trajectory-start-date = Start date
trajectory-coordinator = Coordinator
trajectory-coordinator-hint = One person from one of the client's teams keeps the overview.
trajectory-phases = Phases of the trajectory
trajectory-phase = Phase
trajectory-closure = Closure
trajectory-next-step = Next step
trajectory-move-to = To { $phase }
trajectory-close = Close trajectory
trajectory-close-how = How is the trajectory closed?
trajectory-close-confirm = Are you sure you want to close this trajectory? A closed trajectory does not reopen.
trajectory-timeline = Timeline
closure-no-care-needed = No care or support needed any more
closure-referred = Referred to (long-term) care or support
closure-stopped-early = Stopped early
closure-referred-to = Referred to { $to }
closure-stopped-early-because = Stopped early: { $reason }
closure-referred-to-label = Referred to (when referring)
closure-reason-label = Reason (when stopping early)
timeline-assessment = View recorded: { $perspective } ({ $moment })
timeline-matters = What matters recorded: { $kind }
timeline-activities = Daily activities recorded
timeline-started = Trajectory started (referral)
timeline-phase = To phase { $phase }
timeline-closed = Closed: { $how }
phase-aanmelding = Referral
phase-vraagverheldering = Broad assessment
phase-planvorming = Planning
phase-uitvoering = Execution
phase-afgesloten = Closed
question-type-wijkverpleging = District nursing
question-type-paramedische-zorg = Allied health care
question-type-hulp-bij-het-huishouden = Home help
question-type-mantelzorgondersteuning = Carer support
question-type-vervoersvoorzieningen = Transport services
question-type-dagbesteding = Day activities
question-type-begeleiding = Support and guidance
error-trajectory-active = This client already has an open trajectory. Close that one first.
error-coordinator-required = Choose a coordinator.
error-coordinator-not-on-team = The coordinator must work in one of this client's teams.
error-start-date-range = Choose a start date within a year of today.
error-phase-changed-meanwhile = Someone else just changed the phase. Look at the current state and try again.

## Broad assessment: self-reliance per life domain
trajectory-assessment-hint = How self-reliant is the client in each life domain? Record the client's view and the professional's view and compare them.
trajectory-assessment-link = To self-reliance per life domain
assessment-title = Self-reliance per life domain
assessment-intro = The client's view and the professional's view stand side by side. Where they differ by 2 levels or more, it is good to talk together about why.
assessment-back = ← Back to the trajectory
assessment-back-overview = ← Back to the overview
assessment-record = Record a view
assessment-none = Nothing has been recorded yet. Start with the client's view: how does the client see it?
assessment-compare-title = Client and professional side by side
assessment-domain = Life domain
assessment-talk-about = To talk about
assessment-flag-intro = In some life domains the views differ by 2 levels or more. Ask the client how they see it: people are sometimes overestimated and sometimes underestimated.
assessment-flag-professional-higher = { $gap ->
    [one] The professional rates the client 1 level higher. Are we overestimating the client?
   *[other] The professional rates the client { $gap } levels higher. Are we overestimating the client?
}
assessment-flag-client-higher = { $gap ->
    [one] The client rates themselves 1 level higher. Does the client overestimate themselves, or do we underestimate them?
   *[other] The client rates themselves { $gap } levels higher. Does the client overestimate themselves, or do we underestimate them?
}
assessment-chart-title = Levels per life domain over time
assessment-chart-description = For each life domain the level from 1 (acute problems) to 5 (fully self-reliant), per perspective. The most recent view is a solid symbol; earlier views are faint, with a line to the next.
assessment-chart-table = The chart's data as a table
assessment-new-title = Record a view: { $perspective }
assessment-moment = Moment
assessment-respondent = Name of the network member
assessment-form-hint = Choose a level for each life domain, or ‘not discussed’. Tick where the client wants to work on it.
assessment-level = Level
assessment-choose = Choose a level
assessment-not-discussed = Not discussed
assessment-wants = Wants to work on this
assessment-more = Record more: split, strengths, note
assessment-split = Where does the self-reliance come from? (100% together)
assessment-split-own = Own strength (%)
assessment-split-network = Network (%)
assessment-split-professional = Professional help (%)
assessment-strengths = Strengths
assessment-note = Note
assessment-save = Save view
perspective-client = Client
perspective-professional = Professional
perspective-network-member = Network member
moment-intake = Intake
moment-evaluation = Evaluation
moment-closure = Closure
error-moment-unknown = Choose a moment from the list.
error-respondent-required = Enter the name of the network member whose view this is.
error-domain-missing = Not every life domain has been filled in. Choose a level or ‘not discussed’ for each.
error-domain-unknown = The form contains a life domain this instrument does not know. Reload the page.

## What matters
matters-title = What matters
matters-intro = What is important to the client, what motivates them, and what holds them back? Ask for example: ‘What makes you prefer not to do it yourself?’
matters-none = Nothing has been recorded yet.
matters-kind = What is it about?
matters-text = What does the client say?
matters-hint = Write it in the client's own words as much as possible.
matters-save = Record
matters-important = What is important
matters-motivation = Motivation
matters-barrier = Barriers and beliefs
error-matters-kind-unknown = Choose what it is about.

## Daily activities
trajectory-activities-link = To daily activities
activities-title = Daily activities
activities-intro = How much help does the client get now with each activity, and what does the client want to (re)learn to do? From 0 (does it alone) to 4 (fully taken over).
activities-last-recorded = Last recorded on { $date } by { $name }. Saving records a new state; the previous one is kept.
activities-activity = Activity
activities-support-now = Help now
activities-wants-to-learn = Wants to (re)learn
activities-yes = Yes
activities-choose = Choose
activities-not-applicable = Not applicable
activities-save = Save
error-activity-missing = Not every activity has been filled in. Choose a support level or ‘not applicable’ for each.

## Network
network-title = Network
network-intro = Who are the people around the client, what do they help with, and does the client ask them for help? Asking for help is part of self-reliance too.
network-summary-title = How does the client see it?
network-summary-question = Does the client ask for enough help?
network-balance-question = Do giving and receiving feel in balance?
network-not-yet = Not discussed yet
network-summary-asks-enough = Asks people for help enough
network-summary-has-people-but-does-not-ask = Has people, but does not ask them
network-summary-too-few-people = Has too few people to ask
network-balance-in-balance = In balance
network-balance-receives-more = Receives more than they give
network-balance-gives-more = Gives more than they receive
network-people = People around the client
network-nobody = Nobody has been recorded yet.
network-name = Name
network-relation = Relation
network-relation-hint = For example daughter, neighbour, friend.
network-helps-with = Helps with
network-how-often = How often
network-contact = Contact
network-asks = Does the client ask for help?
network-asks-question = Does the client ask this person for help?
network-asks-asks = Yes, asks for help
network-asks-could-but-does-not = Could, but does not ask
network-carer = Informal care
network-is-carer = This person is an informal carer
network-load = Load (0–10)
network-capacity = Capacity (0–10)
network-carer-hint = Only for an informal carer: how heavy is it now (load) and how much can they take (capacity)?
network-carer-scores = Load { $load }, capacity { $capacity }
network-overloaded = Overloaded: the load is greater than the capacity. Talk about what could help.
network-add = Add someone
network-add-button = Add
error-choice-unknown = Choose one of the options.
error-score-range = Choose a number from 0 to 10.
