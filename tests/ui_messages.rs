//! The Messages tab in the window (`egui_kittest`, no GPU): drafts after a slip, mark as sent,
//! template errors, settings.

mod common;

use common::{clock, harness, shop, shows};
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
            .query_by_label_contains("SO-001001 · Ann · sent 2026-03-01")
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
    assert!(body.contains("(before: Mar 6–9)"), "{body}");
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
