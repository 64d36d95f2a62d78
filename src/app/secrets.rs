//! The SMTP password: in the operating system's keychain, never in the shop file. Where no
//! keychain can be reached (no Secret Service on this desktop, say) it is asked once per
//! session and kept in memory only.

use std::collections::HashMap;

/// The keychain's service name for this app's entries.
const SERVICE: &str = "backorder-desk";
/// Set (to anything) to keep the keychain out of the way: the password is then asked for and
/// kept in memory only (tests; machines whose keychain asks questions).
pub const NO_KEYCHAIN_VAR: &str = "BACKORDER_DESK_NO_KEYCHAIN";
/// A password given in the environment (scripts running `notify send`).
pub const PASSWORD_VAR: &str = "BACKORDER_DESK_SMTP_PASSWORD";

/// Where a password was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(String),
    /// The keychain works but holds none for this account.
    Missing,
    /// No keychain here: ask, and keep it for this session.
    NoKeychain(String),
}

/// Where a password was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    Keychain,
    /// In memory until the app closes; why the keychain could not take it.
    SessionOnly(String),
}

/// The passwords of this session.
#[derive(Debug, Default)]
pub struct Secrets {
    session: HashMap<String, String>,
    /// Never touch the keychain (tests).
    memory_only: bool,
}

fn account(host: &str, user: &str) -> String {
    format!("smtp:{}@{}", user.trim(), host.trim())
}

fn keychain_disabled() -> bool {
    std::env::var_os(NO_KEYCHAIN_VAR).is_some()
}

impl Secrets {
    /// Passwords kept in memory only, whatever the computer offers.
    pub fn memory_only() -> Self {
        Self {
            session: HashMap::new(),
            memory_only: true,
        }
    }

    fn keychain_off(&self) -> bool {
        self.memory_only || keychain_disabled()
    }

    /// The password of `user` on `host`: from this session, the environment, or the keychain.
    pub fn lookup(&self, host: &str, user: &str) -> Lookup {
        if let Some(password) = self.session.get(&account(host, user)) {
            return Lookup::Found(password.clone());
        }
        if let Ok(password) = std::env::var(PASSWORD_VAR)
            && !password.is_empty()
        {
            return Lookup::Found(password);
        }
        if self.keychain_off() {
            return Lookup::NoKeychain("the keychain is not used".to_owned());
        }
        match keyring::Entry::new(SERVICE, &account(host, user)) {
            Ok(entry) => match entry.get_password() {
                Ok(password) => Lookup::Found(password),
                Err(keyring::Error::NoEntry) => Lookup::Missing,
                Err(error) => Lookup::NoKeychain(error.to_string()),
            },
            Err(error) => Lookup::NoKeychain(error.to_string()),
        }
    }

    /// Keeps a password: in the keychain when it can, else in memory for this session. It is
    /// held in memory either way, so it is not asked again while the app runs.
    pub fn keep(&mut self, host: &str, user: &str, password: &str) -> Kept {
        self.session
            .insert(account(host, user), password.to_owned());
        if self.keychain_off() {
            return Kept::SessionOnly("the keychain is not used".to_owned());
        }
        match keyring::Entry::new(SERVICE, &account(host, user))
            .and_then(|entry| entry.set_password(password))
        {
            Ok(()) => Kept::Keychain,
            Err(error) => Kept::SessionOnly(error.to_string()),
        }
    }

    /// Forgets a password (a wrong one): from this session and the keychain.
    pub fn forget(&mut self, host: &str, user: &str) {
        self.session.remove(&account(host, user));
        if !self.keychain_off()
            && let Ok(entry) = keyring::Entry::new(SERVICE, &account(host, user))
        {
            let _ = entry.delete_credential();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_keychain_a_password_is_asked_once_and_kept_for_the_session() {
        let mut secrets = Secrets::memory_only();
        // Nothing known yet (unless the environment gives one): ask.
        if std::env::var_os(PASSWORD_VAR).is_none() {
            assert!(matches!(
                secrets.lookup("smtp.example.com", "shop@example.com"),
                Lookup::NoKeychain(_)
            ));
        }
        assert!(matches!(
            secrets.keep("smtp.example.com", "shop@example.com", "s3cret"),
            Kept::SessionOnly(_)
        ));
        assert_eq!(
            secrets.lookup("smtp.example.com", "shop@example.com"),
            Lookup::Found("s3cret".into())
        );
        // Another account is another password.
        assert_ne!(
            secrets.lookup("smtp.example.com", "other@example.com"),
            Lookup::Found("s3cret".into())
        );
        // A password the server refused is forgotten.
        secrets.forget("smtp.example.com", "shop@example.com");
        assert_ne!(
            secrets.lookup("smtp.example.com", "shop@example.com"),
            Lookup::Found("s3cret".into())
        );
    }
}
