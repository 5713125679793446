//! Starts the real Regie server on a loopback port over a fresh database, with the demo
//! organisation loaded, and gives tests an HTTP client with a cookie jar.

#![allow(dead_code)]

use regie_domain::{ClientAccess, Permission, Relation, Role, TrajectoryAccess};
use regie_storage::Db;
use regie_storage::testing::{TestBackend, TestDatabase};
use regie_web::{AppState, WebConfig};
use reqwest::redirect::Policy;
use std::net::SocketAddr;

pub use regie_storage::testing::TestBackend as Backend;

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub db: Db,
    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
    // Dropped last: removes the database.
    _database: TestDatabase,
}

impl TestApp {
    pub async fn spawn(backend: TestBackend) -> Option<Self> {
        Self::spawn_with(backend, WebConfig::default()).await
    }

    pub async fn spawn_with(backend: TestBackend, config: WebConfig) -> Option<Self> {
        let database = TestDatabase::create(backend).await?;
        // As `regie` does at every start: the shipped instruments are installed.
        let mut tx = database.db.begin().await.unwrap();
        tx.install_shipped(time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        regie_app::demo::load_if_empty(&regie_app::App::new(
            database.db.clone(),
            config.clock.clone(),
        ))
        .await
        .expect("demo data loads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(database.db.clone(), config);
        let server = tokio::spawn(async move {
            let _ = regie_web::serve(listener, state).await;
        });
        Some(TestApp {
            base: format!("http://{addr}"),
            addr,
            db: database.db.clone(),
            client: Self::new_client(),
            server,
            _database: database,
        })
    }

    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Posts a url-encoded form (a slice of pairs, or a `Vec` of owned pairs).
    pub async fn post_form<T: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        form: &T,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Posts a form the way a browser does after showing `page`: with the version the page
    /// carried in its hidden `version` or `based_on` field (unless the form sets it itself).
    pub async fn post_from<T: serde::Serialize + ?Sized>(
        &self,
        page: &str,
        path: &str,
        form: &T,
    ) -> reqwest::Response {
        self.post_from_as(&self.client, page, path, form).await
    }

    /// [`TestApp::post_from`], in another signed-in browser.
    pub async fn post_from_as<T: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        page: &str,
        path: &str,
        form: &T,
    ) -> reqwest::Response {
        let shown = client
            .get(self.url(page))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("page");
        let mut body = serde_urlencoded::to_string(form).expect("a form");
        for name in ["based_on", "version"] {
            let marker = format!(r#"name="{name}" value=""#);
            if let Some(rest) = shown.split(&marker).nth(1)
                && !body
                    .split('&')
                    .any(|pair| pair.starts_with(&format!("{name}=")))
            {
                let value = rest.split('"').next().unwrap_or_default();
                body.push_str(&format!("&{name}={value}"));
                break;
            }
        }
        client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn login_as(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/login"))
            .form(&[
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("request")
    }

    /// Signs this app's client in; panics unless the login redirects.
    pub async fn login(&self, username: &str) {
        let response = self.login_as(&self.client, username, "regie-demo").await;
        assert_eq!(
            response.status(),
            303,
            "login of {username} should redirect"
        );
    }

    /// A fresh API token for a demo user.
    pub async fn token_for(&self, username: &str) -> String {
        let (token, hash) = regie_app::accounts::new_api_token();
        let mut tx = self.db.begin().await.unwrap();
        let user = tx
            .user_by_username(username)
            .await
            .unwrap()
            .expect("demo user");
        tx.token_create(user.id, "test", &hash, time::OffsetDateTime::now_utc())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        token
    }

    pub async fn client_id(&self, name_part: &str) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let all_teams: Vec<i64> = tx
            .teams_list()
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
        let (clients, _) = tx
            .clients_search(&all_teams, name_part, None, 0, 10, 0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        clients.first().expect("demo client").id
    }

    /// A GET on the API with a bearer token.
    pub async fn api_get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// The audit rows of one event type, newest first.
    pub async fn audit_of(&self, event: &str) -> Vec<regie_storage::AuditRow> {
        self.audit(regie_storage::AuditFilter {
            event: Some(event.into()),
            ..Default::default()
        })
        .await
    }

    /// The access rule's yes for a colleague on the client's serving team: storage hands out
    /// nothing of a record without one, to tests that look at stored rows neither.
    pub fn client_access(&self, client_id: i64) -> ClientAccess {
        let colleague = Relation {
            serving_team: true,
            ..Default::default()
        };
        Permission::ReadRecord
            .grant(Role::Professional, colleague, client_id)
            .expect("a colleague on the serving team reads the record")
    }

    /// [`TestApp::client_access`] for one trajectory, looked up in a read of its own.
    pub async fn trajectory_access(&self, trajectory_id: i64) -> TrajectoryAccess {
        let mut tx = self.db.read().await.unwrap();
        let trajectory = tx
            .trajectory_get(trajectory_id)
            .await
            .unwrap()
            .expect("a trajectory");
        tx.commit().await.unwrap();
        self.client_access(trajectory.client_id)
            .to_trajectory(&trajectory)
            .expect("the client's own trajectory")
    }

    /// The id of a client's open trajectory, straight from the database.
    pub async fn trajectory_of(&self, client_id: i64) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let trajectories = tx
            .trajectories_for_client(&self.client_access(client_id))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        trajectories
            .iter()
            .find(|t| t.phase.is_active())
            .expect("an open trajectory")
            .id
    }

    /// How many refusals the audit log holds, however many.
    pub async fn denied_count(&self) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let filter = regie_storage::AuditFilter {
            outcome: Some("denied".into()),
            ..Default::default()
        };
        let (_, total) = tx.audit_list(&filter, 1, 0).await.unwrap();
        tx.commit().await.unwrap();
        total
    }

    pub async fn audit(&self, filter: regie_storage::AuditFilter) -> Vec<regie_storage::AuditRow> {
        let mut tx = self.db.begin().await.unwrap();
        let (rows, _) = tx.audit_list(&filter, 1000, 0).await.unwrap();
        tx.commit().await.unwrap();
        rows
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Generates one `#[tokio::test]` per backend for each named `async fn case(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$case($crate::support::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$case($crate::support::Backend::Postgres).await
                }
            )*
        }
    };
}
