//! The Messages tab in the window (`egui_kittest`, no GPU): drafts after a slip, mark as sent,
//! template errors, settings.

use crate::common;
use crate::common::smtp_server;

use common::{clock, harness, shop, shows, wait_for};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

fn move_po_date(harness: &mut egui_kittest::Harness<'_, backorder_desk::ui::DeskApp>) {
    harness.get_by_label("Purchase orders").click();
    harness.run();
    harness.get_by_label("PO-1").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Expected arrival")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Expected arrival")
        .type_text("2026-03-12");
    harness.run();
    harness.get_by_label("Move date").click();
    harness.run();
}

#[test]
fn a_slip_drafts_a_delay_notice_and_mark_as_sent_moves_it_to_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    // Two waiting orders: two confirmations.
    assert!(shows(&harness, "Messages (2)"));
    move_po_date(&mut harness);
    harness.get_by_label("Messages (3)").click();
    harness.run();
    assert!(shows(&harness, "Outbox (3)"));
    assert!(shows(&harness, "Delay notice (1)"));
    // Ann has a confirmation and a delay notice; groups follow the kinds' order, so the delay
    // notice is the second entry.
    let entries: Vec<_> = harness.query_all_by_label("SO-001001 · Ann").collect();
    assert_eq!(entries.len(), 2);
    entries[1].click();
    harness.run();
    let subject = harness
        .get_by_role_and_label(Role::TextInput, "Subject")
        .value()
        .unwrap_or_default();
    assert!(
        subject.starts_with("Delay on your order SO-001001"),
        "{subject}"
    );
    harness.get_by_label("Mark as sent").click();
    harness.run();
    assert!(shows(&harness, "Outbox (2)"));
    assert!(shows(&harness, "Marked as sent; it is listed under Sent"));
    harness.get_by_label("Sent & discarded").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("SO-001001 · Ann · sent Mar 1, 2026")
            .is_some()
    );
    let store = harness.state().store().expect("store");
    let sent: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM messages WHERE status = 'sent'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(sent, 1);
}

#[test]
fn the_delay_draft_names_the_new_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    move_po_date(&mut harness);
    let store = harness.state().store().expect("store");
    let body: String = store
        .connection()
        .query_row(
            "SELECT body FROM messages WHERE kind = 'delay' AND status = 'draft'",
            [],
            |row| row.get(0),
        )
        .expect("one delay draft");
    assert!(body.contains("now expected to ship Mar 13–16"), "{body}");
    // "Before" is what Ann was promised when she ordered (the lead time's Mar 12–15); PO-1's
    // Mar 6–9 was never told to her.
    assert!(body.contains("(before: Mar 12–15)"), "{body}");
}

#[test]
fn a_broken_template_shows_its_line_and_cannot_be_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Messages (2)").click();
    harness.run();
    harness.get_by_label("Templates").click();
    harness.run();
    assert!(shows(&harness, "The template works."));
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template")
        .type_text("Subject: Hi\n\n{{ custmer.name }}");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Template error: line 3")
            .is_some()
    );
    assert!(
        harness
            .get_by_label("Save template")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn a_draft_with_a_bad_address_is_flagged_and_corrected_in_its_to_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    {
        let store = backorder_desk::store::Store::open(&path).expect("open");
        for sql in [
            "UPDATE customers SET email = 'ann(at)example.com' WHERE email = 'ann@example.com'",
            "UPDATE messages SET recipient = 'ann(at)example.com' WHERE recipient = 'ann@example.com'",
        ] {
            store.connection().execute(sql, []).expect("update");
        }
    }
    let mut harness = harness(path, clock());
    harness.run();
    // The order's detail says the address cannot be used.
    harness.get_by_label("Orders").click();
    harness.run();
    harness.get_by_label("SO-001001").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains(
                "The e-mail address is not valid (it has no @): messages to this customer"
            )
            .is_some()
    );
    harness.get_by_label("Messages (2)").click();
    harness.run();
    harness.get_by_label("SO-001001 · Ann").click();
    harness.run();
    let flag = "Order SO-001001: 'ann(at)example.com' is not a valid e-mail address (it has no @); \
                correct the address in the draft's To field";
    assert!(shows(&harness, flag));
    for button in ["Save as .eml…", "Open in mail program"] {
        assert!(
            harness.get_by_label(button).accesskit_node().is_disabled(),
            "{button}"
        );
    }
    harness.get_by_role_and_label(Role::TextInput, "To").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "To")
        .type_text("ann@example.com");
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    assert!(shows(&harness, "Draft saved"));
    assert!(!shows(&harness, flag));
    assert!(
        !harness
            .get_by_label("Save as .eml…")
            .accesskit_node()
            .is_disabled()
    );
    let store = harness.state().store().expect("store");
    let email: String = store
        .connection()
        .query_row(
            "SELECT c.email FROM customers c JOIN orders o ON o.customer_id = c.customer_id
              WHERE o.order_number = 'SO-001001'",
            [],
            |row| row.get(0),
        )
        .expect("customer");
    assert_eq!(email, "ann@example.com");
}

/// The shop of `common::shop` sending through a local test server, from shop@example.com.
fn sending_shop(dir: &std::path::Path, port: u16) -> std::path::PathBuf {
    use backorder_desk::store::settings::{SENDER_EMAIL, SMTP_HOST, SMTP_PORT, SMTP_SECURITY};
    let path = shop(dir);
    let store = backorder_desk::store::Store::open(&path).expect("open");
    for (key, value) in [
        (SENDER_EMAIL, "shop@example.com".to_owned()),
        (SMTP_HOST, "127.0.0.1".to_owned()),
        (SMTP_PORT, port.to_string()),
        (SMTP_SECURITY, "none".to_owned()),
    ] {
        store.set_setting(key, &value).expect("setting");
    }
    path
}

#[test]
fn send_all_sends_through_the_server_and_shows_each_result() {
    let server = smtp_server::TestSmtp::start(&["bo@example.com"], 10);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(sending_shop(dir.path(), server.port()), clock());
    harness.run();
    harness.get_by_label("Messages (2)").click();
    harness.run();
    assert!(shows(&harness, "Order confirmation (2)"));
    harness.get_by_label("Send all (2)").click();
    wait_for(&mut harness, "1 sent, 1 not sent");
    // One more frame draws the window with the last result.
    harness.step();
    assert!(
        harness.query_by_label_contains("2 of 2").is_some(),
        "the progress bar"
    );
    assert!(shows(
        &harness,
        "Order confirmation · SO-001001 · ann@example.com"
    ));
    // In the list of results (and on Bo's draft, open behind it).
    assert!(
        harness
            .query_all_by_label_contains("refused it: 550 5.1.1 <bo@example.com>")
            .next()
            .is_some()
    );
    // Ann's was accepted (and recorded as sent with the server's copy's Message-ID); Bo's
    // stays in the Outbox with the server's answer.
    assert_eq!(server.messages().len(), 1);
    harness.get_by_label("Close").click();
    harness.run();
    assert!(shows(&harness, "Outbox (1)"));
    harness.get_by_label("SO-001002 · Bo · not sent").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Not sent: 127.0.0.1:")
            .is_some()
    );
    let store = harness.state().store().expect("store");
    let id: String = store
        .connection()
        .query_row(
            "SELECT message_id_header FROM messages WHERE status = 'sent'",
            [],
            |row| row.get(0),
        )
        .expect("one sent");
    assert_eq!(
        server.messages()[0].header("Message-ID").as_deref(),
        Some(id.as_str())
    );
}

#[test]
fn the_deadlines_view_puts_the_next_due_first_and_records_a_cancel_answer() {
    use backorder_desk::app::purchasing::move_po_date;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = shop(dir.path());
    {
        let mut store = backorder_desk::store::Store::open(&path).expect("open");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 12).expect("date");
        move_po_date(&mut store, "PO-1", day, &clock()).expect("move");
    }
    // Mar 20: Ann was promised Mar 15 (the window given when she ordered), PO-1 now brings her
    // lamps for Mar 13–16, and no notice went out: under the FTC the order must be cancelled
    // (16 CFR 435.2(c)(5)). Bo's lamps still come by his Mar 15.
    let late = backorder_desk::app::Clock::fixed(
        chrono::NaiveDate::from_ymd_opt(2026, 3, 20).expect("date"),
    );
    let mut harness = harness(path, late);
    harness.run();
    harness.get_by_label("Messages (3)").click();
    harness.run();
    harness.get_by_label("Deadlines").click();
    harness.run();
    assert!(shows(&harness, "Rule: Both (the stricter of each)"));
    assert!(shows(
        &harness,
        "2 waiting line(s); 1 need action, 1 overdue"
    ));
    assert!(shows(&harness, "Cancel and refund (overdue)"));
    assert!(shows(&harness, "On track"));
    // The notice drafted when the date moved is one click away.
    harness.get_by_label("Open notice").click();
    harness.run();
    assert!(shows(&harness, "Outbox (3)"));
    let subject = harness
        .get_by_role_and_label(Role::TextInput, "Subject")
        .value()
        .unwrap_or_default();
    assert!(
        subject.starts_with("Delay on your order SO-001001"),
        "{subject}"
    );
    harness.get_by_label("Deadlines").click();
    harness.run();
    // Next due first: Ann's row comes first (due Mar 15, the graver stage).
    harness
        .query_all_by_label("Answer…")
        .next()
        .expect("a row")
        .click();
    harness.run();
    assert!(shows(&harness, "The customer's answer for order SO-001001"));
    harness.get_by_label("Asked to cancel").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Order SO-001001: the waiting lines were cancelled")
            .is_some()
    );
    // Bo's lamps: PO-1 now covers them, due Mar 12 and late by Mar 20, so they ship Mar 21–24,
    // after his Mar 15: his line is overdue too.
    assert!(shows(
        &harness,
        "1 waiting line(s); 1 need action, 1 overdue"
    ));
}

#[test]
fn an_unsaved_edit_asks_before_switching_drafts_tabs_or_closing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(shop(dir.path()), clock());
    harness.run();
    harness.get_by_label("Messages (2)").click();
    harness.run();
    harness.get_by_label("SO-001001 · Ann").click();
    harness.run();
    let edit = |harness: &mut egui_kittest::Harness<'_, backorder_desk::ui::DeskApp>,
                text: &str| {
        harness
            .get_by_role_and_label(Role::TextInput, "Subject")
            .focus();
        harness.run();
        harness.key_press(egui::Key::End);
        harness
            .get_by_role_and_label(Role::TextInput, "Subject")
            .type_text(text);
        harness.run();
    };
    edit(&mut harness, " (edited)");
    // Another draft: asked first; Cancel keeps the edit.
    harness.get_by_label("SO-001002 · Bo").click();
    harness.run();
    assert!(shows(&harness, "Save your changes?"));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(!shows(&harness, "Save your changes?"));
    let subject = harness
        .get_by_role_and_label(Role::TextInput, "Subject")
        .value()
        .unwrap_or_default();
    assert!(subject.ends_with(" (edited)"), "{subject}");
    // Discard: the other draft opens and the edit is gone.
    harness.get_by_label("SO-001002 · Bo").click();
    harness.run();
    harness.get_by_label("Discard").click();
    harness.run();
    let subject = harness
        .get_by_role_and_label(Role::TextInput, "Subject")
        .value()
        .unwrap_or_default();
    assert!(
        subject.contains("SO-001002") && !subject.contains("edited"),
        "{subject}"
    );
    // Another tab: Save keeps the edit and goes on.
    edit(&mut harness, " (kept)");
    harness.get_by_label("Orders").click();
    harness.run();
    assert!(shows(&harness, "Save your changes?"));
    harness.get_by_label("Save").click();
    harness.run();
    harness.run();
    assert!(shows(&harness, "Draft saved"));
    assert!(shows(&harness, "New order…"), "the Orders tab is shown");
    let store = harness.state().store().expect("store");
    let saved: String = store
        .connection()
        .query_row(
            "SELECT m.subject FROM messages m JOIN orders o ON o.order_id = m.order_id
              WHERE o.order_number = 'SO-001002' AND m.status = 'draft'",
            [],
            |row| row.get(0),
        )
        .expect("draft");
    assert!(saved.ends_with(" (kept)"), "{saved}");
    // Closing the window with an unsaved edit: asked first, and it stays open on Cancel.
    harness.get_by_label("Messages (2)").click();
    harness.run();
    edit(&mut harness, " again");
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run();
    assert!(shows(&harness, "Save your changes?"));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(!shows(&harness, "Save your changes?"));
}
