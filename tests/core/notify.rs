//! Customer message drafts on a real shop file: drafted from events, never twice, a newer delay
//! notice replacing an unsent one, `.eml` files that a MIME parser reads back, and the CLI.

use crate::common::desk;
use crate::common::smtp_server;

use backorder_desk::app::Clock;
use backorder_desk::app::catalog::{adjust_stock, save_product};
use backorder_desk::app::notify::{
    DraftEdit, draft_delays, draft_substitution, eml_for, export_drafts, history, mailto_for,
    mark_sent, outbox, recipient_problem, save_checked_template, save_edit, template_source,
};
use backorder_desk::app::orders::{OrderInput, cancel_line, place_order};
use backorder_desk::app::purchasing::{PoInput, create_po, move_po_date, receive};
use backorder_desk::domain::allocation::Priority;
use backorder_desk::domain::notify::MessageKind;
use backorder_desk::domain::order::ShipPreference;
use backorder_desk::domain::{BackorderPolicy, ProductDraft};
use backorder_desk::store::messages::{DraftOutcome, Message, MessageStatus, order_messages};
use backorder_desk::store::orders::{order_detail, order_id_by_number};
use backorder_desk::store::settings::{SENDER_EMAIL, SHOP_NAME};
use backorder_desk::store::{ProductId, Store};
use chrono::NaiveDate;
use mail_parser::MessageParser;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

struct Shop {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    clock: Clock,
}

fn product(shop: &mut Shop, sku: &str, name: &str, price: &str, stock: i64) -> ProductId {
    let draft = ProductDraft {
        sku: sku.into(),
        name: name.into(),
        category: "Mugs".into(),
        price: price.into(),
        supplier: "Acme".into(),
        lead_time_days: "10".into(),
        backorder_policy: BackorderPolicy::Allowed,
        max_wait_days: "60".into(),
        ..ProductDraft::default()
    };
    save_product(&mut shop.store, None, &draft, stock, &shop.clock).expect("product")
}

fn order(shop: &mut Shop, number: &str, name: &str, email: &str, lines: &[(&str, i64)]) {
    let input = OrderInput {
        order_number: number.into(),
        customer_name: name.into(),
        customer_email: email.into(),
        ordered_at: None,
        priority: Priority::Normal,
        ship: ShipPreference::Partial,
        lines: lines
            .iter()
            .map(|(sku, q)| ((*sku).to_owned(), *q))
            .collect(),
    };
    place_order(&mut shop.store, &input, &shop.clock).expect("order");
}

/// MUG (1 on hand, waiting orders SO-1 for 3 and SO-2 for 2), PO-1 of 10 expected Mar 10.
fn shop() -> Shop {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite");
    let store = Store::open(&path).expect("open");
    let mut shop = Shop {
        _dir: dir,
        path,
        store,
        clock: Clock::fixed(day("2026-03-01")),
    };
    shop.store
        .set_setting(SHOP_NAME, "Nordlicht")
        .expect("setting");
    shop.store
        .set_setting(SENDER_EMAIL, "shop@example.com")
        .expect("setting");
    product(&mut shop, "MUG", "Mug, écru", "10.00", 1);
    product(&mut shop, "MUG-SAND", "Mug, sand", "11.50", 8);
    product(&mut shop, "MUG-GOLD", "Mug, gold", "30.00", 50);
    order(
        &mut shop,
        "SO-1",
        "Zoë Ødegård",
        "zoe@example.com",
        &[("MUG", 3)],
    );
    order(
        &mut shop,
        "SO-2",
        "Ann Lee",
        "ann@example.com",
        &[("MUG", 2)],
    );
    create_po(
        &mut shop.store,
        &PoInput {
            po_number: "PO-1".into(),
            supplier: "Acme".into(),
            ordered_at: None,
            expected_at: Some(day("2026-03-10")),
            confirmed: false,
            lines: vec![("MUG".into(), 10, None)],
        },
        &shop.clock,
    )
    .expect("po");
    shop
}

fn drafts_of(shop: &Shop, kind: MessageKind) -> Vec<Message> {
    outbox(&shop.store)
        .expect("outbox")
        .into_iter()
        .filter(|message| message.kind == Some(kind))
        .collect()
}

#[test]
fn placing_orders_with_waiting_lines_drafts_confirmations() {
    let shop = shop();
    let confirmations = drafts_of(&shop, MessageKind::Confirmation);
    let mut numbers: Vec<&str> = confirmations
        .iter()
        .map(|m| m.order_number.as_str())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, ["SO-1", "SO-2"]);
    let first = confirmations
        .iter()
        .find(|m| m.order_number == "SO-1")
        .expect("SO-1");
    assert_eq!(first.recipient, "zoe@example.com");
    assert!(first.body.starts_with("Hello Zoë Ødegård,"));
    // 1 reserved now, 2 waiting; no PO yet when ordered: dated from the 10-day lead time.
    assert!(
        first
            .body
            .contains("Shipping now:\n  - 1 x Mug, écru (MUG)"),
        "{}",
        first.body
    );
    assert!(
        first
            .body
            .contains("  - 2 x Mug, écru (MUG): expected to ship"),
        "{}",
        first.body
    );
}

#[test]
fn a_slip_drafts_one_delay_notice_per_order_the_same_day_with_the_new_window() {
    let mut shop = shop();
    let slips =
        move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    assert_eq!(slips.len(), 2);
    let delays = drafts_of(&shop, MessageKind::Delay);
    assert_eq!(delays.len(), 2, "one per affected order");
    for delay in &delays {
        assert!(delay.created_at.starts_with("2026-03-01"), "same day");
        // Arrival Mar 20 + 1 handling day = Mar 21; spread 3 days → Mar 21–24.
        assert!(
            delay.body.contains("now expected to ship Mar 21–24"),
            "{}",
            delay.body
        );
        // "Before" is what the customer was promised when ordering (nothing was sent since):
        // the 10-day lead time's Mar 12–15, not PO-1's Mar 11–14 that nobody was told.
        assert!(delay.body.contains("(before: Mar 12–15)"), "{}", delay.body);
        assert!(
            delay
                .body
                .contains("cancel the delayed items for a full refund")
        );
        assert!(delay.body.contains("not treat silence as agreement"));
    }
    // The same event again drafts nothing new.
    let again = draft_delays(shop.store.connection(), &[], day("2026-03-01")).expect("empty");
    assert!(again.is_empty());
    let slips_again = slips_as_domain(&shop);
    let outcomes =
        draft_delays(shop.store.connection(), &slips_again, day("2026-03-01")).expect("redo");
    assert!(
        outcomes.iter().all(|o| *o == DraftOutcome::AlreadyDrafted),
        "{outcomes:?}"
    );
    assert_eq!(drafts_of(&shop, MessageKind::Delay).len(), 2);
}

/// The slips recorded so far, as the engine reports them.
fn slips_as_domain(shop: &Shop) -> Vec<backorder_desk::domain::promise::PromiseSlip> {
    let conn = shop.store.connection();
    let mut statement = conn
        .prepare("SELECT line_id, old_start, old_end, new_start, new_end FROM promise_changes")
        .expect("prepare");
    let window = |start: Option<String>, end: Option<String>| {
        Some(backorder_desk::domain::promise::EtaWindow {
            start: day(&start?),
            end: day(&end?),
        })
    };
    statement
        .query_map([], |row| {
            Ok(backorder_desk::domain::promise::PromiseSlip {
                line_id: row.get(0)?,
                old: window(row.get(1)?, row.get(2)?),
                new: window(row.get(3)?, row.get(4)?),
            })
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn a_newer_delay_replaces_the_unsent_one_and_keeps_the_window_last_told() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    move_po_date(&mut shop.store, "PO-1", day("2026-03-30"), &shop.clock).expect("move");
    let delays = drafts_of(&shop, MessageKind::Delay);
    assert_eq!(delays.len(), 2, "still one draft per order");
    let so1 = delays
        .iter()
        .find(|m| m.order_number == "SO-1")
        .expect("SO-1");
    assert!(
        so1.body.contains("now expected to ship Mar 31 – Apr 3"),
        "{}",
        so1.body
    );
    // The customer never saw the Mar 21–24 draft: "before" is still the promised Mar 12–15.
    assert!(so1.body.contains("(before: Mar 12–15)"), "{}", so1.body);
    let order_id = order_id_by_number(shop.store.connection(), "SO-1")
        .expect("query")
        .expect("order");
    let all = order_messages(shop.store.connection(), order_id).expect("history");
    let delays: Vec<(MessageStatus, Option<&str>)> = all
        .iter()
        .filter(|m| m.kind == Some(MessageKind::Delay))
        .map(|m| (m.status, m.status_reason.as_deref()))
        .collect();
    assert_eq!(
        delays,
        [
            (
                MessageStatus::Superseded,
                Some("The dates changed again before it was sent: a newer notice gives them")
            ),
            (MessageStatus::Draft, None),
        ]
    );
    // The unsent confirmation follows the order: one current draft, telling today's date.
    let confirmations: Vec<&Message> = all
        .iter()
        .filter(|m| m.kind == Some(MessageKind::Confirmation) && m.status == MessageStatus::Draft)
        .collect();
    assert_eq!(confirmations.len(), 1);
    assert!(
        confirmations[0]
            .body
            .contains("expected to ship Mar 31 – Apr 3"),
        "{}",
        confirmations[0].body
    );
}

#[test]
fn receiving_drafts_ready_messages_and_cancelling_drafts_a_cancellation() {
    let mut shop = shop();
    receive(
        &mut shop.store,
        "PO-1",
        None,
        day("2026-03-01"),
        &shop.clock,
    )
    .expect("receive");
    let ready = drafts_of(&shop, MessageKind::Ready);
    let mut numbers: Vec<&str> = ready.iter().map(|m| m.order_number.as_str()).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, ["SO-1", "SO-2"]);
    let so1 = ready
        .iter()
        .find(|m| m.order_number == "SO-1")
        .expect("SO-1");
    assert!(so1.body.contains("  - 3 x Mug, écru (MUG)"), "{}", so1.body);
    // Receiving again changes nothing: a second stock adjustment allocates nothing new.
    let mug = shop
        .store
        .product_id_by_sku("MUG")
        .expect("query")
        .expect("MUG");
    adjust_stock(&mut shop.store, mug, 1, "found one", &shop.clock).expect("adjust");
    assert_eq!(drafts_of(&shop, MessageKind::Ready).len(), 2);

    let order_id = order_id_by_number(shop.store.connection(), "SO-2")
        .expect("query")
        .expect("order");
    let line = order_detail(shop.store.connection(), order_id)
        .expect("detail")
        .lines[0]
        .line_id;
    cancel_line(&mut shop.store, line, &shop.clock).expect("cancel");
    let cancellations = drafts_of(&shop, MessageKind::Cancellation);
    assert_eq!(cancellations.len(), 1);
    assert!(cancellations[0].body.contains("  - 2 x Mug, écru (MUG)"));
}

#[test]
fn substitution_offers_in_stock_products_of_the_category_within_twenty_percent() {
    let mut shop = shop();
    let order_id = order_id_by_number(shop.store.connection(), "SO-1")
        .expect("query")
        .expect("order");
    draft_substitution(&mut shop.store, order_id, &shop.clock).expect("draft");
    let offer = drafts_of(&shop, MessageKind::Substitution);
    assert_eq!(offer.len(), 1);
    // MUG-SAND 11.50 is within 20% of 10.00 and in stock; MUG-GOLD 30.00 is not.
    assert!(
        offer[0].body.contains("Mug, sand (MUG-SAND), 11.50"),
        "{}",
        offer[0].body
    );
    assert!(!offer[0].body.contains("MUG-GOLD"));
    assert!(offer[0].body.contains("swap to MUG-SAND"));
}

#[test]
fn a_broken_template_is_never_saved_over_a_working_one() {
    let shop = shop();
    let broken = "Subject: Hi\n\n{% for line in lines %}\n{{ line.sku }}\n";
    let error = save_checked_template(&shop.store, MessageKind::Delay, broken, &shop.clock)
        .expect_err("broken");
    assert!(error.to_string().contains("line"), "{error}");
    let source = template_source(shop.store.connection(), MessageKind::Delay).expect("source");
    assert_eq!(source, MessageKind::Delay.default_template());
    let good = "Subject: Late: {{ order.number }}\n\nDear {{ customer.name }}\n";
    save_checked_template(&shop.store, MessageKind::Delay, good, &shop.clock).expect("saved");
    let source = template_source(shop.store.connection(), MessageKind::Delay).expect("source");
    assert_eq!(source, good);
}

#[test]
fn eml_parses_with_a_mime_parser_and_round_trips_non_ascii() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let draft = drafts_of(&shop, MessageKind::Delay)
        .into_iter()
        .find(|m| m.order_number == "SO-1")
        .expect("SO-1 delay");
    let bytes = eml_for(&shop.store, draft.message_id, &shop.clock).expect("eml");
    let parsed = MessageParser::default().parse(&bytes).expect("parses");
    assert_eq!(parsed.subject(), Some(draft.subject.as_str()));
    let body = parsed.body_text(0).expect("text body");
    // The MIME part ends with one more line break than the body.
    assert_eq!(body.replace("\r\n", "\n").trim_end(), draft.body.trim_end());
    let to = parsed.to().and_then(|to| to.first()).expect("to");
    assert_eq!(to.name(), Some("Zoë Ødegård"));
    assert_eq!(to.address(), Some("zoe@example.com"));
    let from = parsed.from().and_then(|from| from.first()).expect("from");
    assert_eq!(from.address(), Some("shop@example.com"));
    assert!(
        parsed
            .message_id()
            .is_some_and(|id| id.ends_with("@example.com"))
    );
    assert!(parsed.date().is_some());

    let url = mailto_for(&shop.store, draft.message_id).expect("mailto");
    assert!(url.starts_with("mailto:zoe@example.com?subject=Delay%20on%20your%20order%20SO-1"));
    assert!(url.contains("Hello%20Zo%C3%AB%20%C3%98deg%C3%A5rd%2C%0D%0A"));

    mark_sent(&shop.store, draft.message_id, &shop.clock).expect("sent");
    // The history also keeps the superseded drafts (the confirmations redrafted as dates moved).
    let sent: Vec<Message> = history(&shop.store, None)
        .expect("history")
        .into_iter()
        .filter(|m| m.status == MessageStatus::Sent)
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].sent_at.as_deref(), Some("2026-03-01 12:00:00"));
}

#[test]
fn cli_lists_and_exports_drafts() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let path = shop.path.clone();
    drop(shop.store);
    let output = desk(&path, &["notify", "list", "--json"]);
    assert!(output.status.success());
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    assert_eq!(rows.len(), 4, "2 confirmations + 2 delays");
    let delay = rows
        .iter()
        .find(|row| row["kind"] == "delay" && row["order_number"] == "SO-1")
        .expect("delay row");
    assert_eq!(delay["to"], "zoe@example.com");
    assert_eq!(delay["status"], "draft");
    assert!(
        delay["subject"]
            .as_str()
            .is_some_and(|s| s.contains("SO-1"))
    );

    let out = tempfile::tempdir().expect("out dir");
    let target = out.path().join("mail");
    let target_text = target.display().to_string();
    let output = desk(&path, &["notify", "export", &target_text, "--mark-sent"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&target)
        .expect("dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    // Kind, order number and the message's own number.
    let shown: Vec<String> = files
        .iter()
        .map(|name| {
            let (stem, number) = name
                .trim_end_matches(".eml")
                .rsplit_once("-msg")
                .expect("message number");
            assert!(number.parse::<u32>().is_ok(), "{name}");
            stem.to_owned()
        })
        .collect();
    assert_eq!(
        shown,
        [
            "confirmation-SO-1",
            "confirmation-SO-2",
            "delay-SO-1",
            "delay-SO-2"
        ]
    );
    let output = desk(&path, &["notify", "list"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "No drafts");
    let output = desk(&path, &["notify", "list", "--all", "--json"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.contains("\"status\":\"sent\""))
            .count(),
        4
    );
}

#[test]
fn export_without_a_sender_says_so_and_marks_nothing() {
    let shop = shop();
    shop.store.set_setting(SENDER_EMAIL, "").expect("clear");
    let path = shop.path.clone();
    drop(shop.store);
    let out = tempfile::tempdir().expect("out dir");
    let target = out.path().display().to_string();
    let output = desk(&path, &["notify", "export", &target, "--mark-sent"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("sender address"));
    let output = desk(&path, &["notify", "list", "--json"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2);
}

#[test]
fn placeholders_in_data_stay_text() {
    let mut shop = shop();
    product(&mut shop, "EVIL", "{{ 7*7 }} mug", "10.00", 0);
    order(
        &mut shop,
        "SO-9",
        "{% raw %}Mallory",
        "mallory@example.com",
        &[("EVIL", 1)],
    );
    let draft = drafts_of(&shop, MessageKind::Confirmation)
        .into_iter()
        .find(|m| m.order_number == "SO-9")
        .expect("SO-9");
    assert!(draft.body.contains("{{ 7*7 }} mug"), "{}", draft.body);
    assert!(!draft.body.contains("49"), "{}", draft.body);
    assert!(
        draft.body.starts_with("Hello {% raw %}Mallory,"),
        "{}",
        draft.body
    );
    // The same text in the .eml file and in the mailto: link.
    let bytes = eml_for(&shop.store, draft.message_id, &shop.clock).expect("eml");
    let parsed = MessageParser::default().parse(&bytes).expect("parses");
    let body = parsed.body_text(0).expect("text body");
    assert!(body.contains("{{ 7*7 }} mug"), "{body}");
    assert!(body.contains("Hello {% raw %}Mallory,"), "{body}");
    let to = parsed.to().and_then(|to| to.first()).expect("to");
    assert_eq!(to.name(), Some("{% raw %}Mallory"));
    let url = mailto_for(&shop.store, draft.message_id).expect("mailto");
    assert!(url.contains("%7B%7B%207%2A7%20%7D%7D%20mug"), "{url}");
    assert!(url.contains("%7B%25%20raw%20%25%7DMallory"), "{url}");

    // A product named like a loop prints as written too, in a delay notice's subject run.
    product(
        &mut shop,
        "LOOP",
        "{% for x in range(99999) %}x{% endfor %}",
        "10.00",
        0,
    );
    order(
        &mut shop,
        "SO-10",
        "Ann Lee",
        "ann@example.com",
        &[("LOOP", 1)],
    );
    let draft = drafts_of(&shop, MessageKind::Confirmation)
        .into_iter()
        .find(|m| m.order_number == "SO-10")
        .expect("SO-10");
    assert!(
        draft
            .body
            .contains("{% for x in range(99999) %}x{% endfor %}"),
        "{}",
        draft.body
    );
}

#[test]
fn a_draft_with_an_address_that_cannot_be_used_is_held_until_corrected() {
    let mut shop = shop();
    // An address with a line break (say, from an old file) on Zoë's customer record.
    shop.store
        .connection()
        .execute(
            "UPDATE customers SET email = 'zoe@example.com\r\nBcc: victim@example.com'
              WHERE email = 'zoe@example.com'",
            [],
        )
        .expect("update");
    shop.store
        .connection()
        .execute(
            "UPDATE messages SET recipient = 'zoe@example.com\r\nBcc: victim@example.com'
              WHERE recipient = 'zoe@example.com'",
            [],
        )
        .expect("update");
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let draft = drafts_of(&shop, MessageKind::Delay)
        .into_iter()
        .find(|m| m.order_number == "SO-1")
        .expect("SO-1 delay");
    let problem = recipient_problem(&draft).expect("flagged");
    assert!(
        problem.contains("it contains a line break or another control character"),
        "{problem}"
    );
    let eml = eml_for(&shop.store, draft.message_id, &shop.clock).expect_err("no .eml");
    assert!(
        eml.to_string().contains("is not a valid e-mail address"),
        "{eml}"
    );
    assert!(mailto_for(&shop.store, draft.message_id).is_err());

    // The batch export writes the others and leaves this one in the Outbox.
    let out = tempfile::tempdir().expect("out dir");
    let export = export_drafts(&mut shop.store, out.path(), true, &shop.clock).expect("export");
    assert_eq!(export.written.len(), 2, "{:?}", export.written);
    assert_eq!(export.skipped.len(), 2, "SO-1's confirmation and delay");
    assert!(outbox(&shop.store).expect("outbox").len() == 2);
    for file in &export.written {
        let bytes = std::fs::read(file).expect("eml");
        let parsed = MessageParser::default().parse(&bytes).expect("parses");
        assert!(parsed.bcc().is_none());
    }

    // Another bad address is refused; a good one is saved and corrects the customer too.
    let bad = DraftEdit {
        recipient: "zoe(at)example.com".into(),
        subject: draft.subject.clone(),
        body: draft.body.clone(),
    };
    let error = save_edit(&mut shop.store, draft.message_id, &bad, &shop.clock).expect_err("bad");
    assert_eq!(
        error.to_string(),
        "'zoe(at)example.com' is not a valid e-mail address: it has no @"
    );
    let good = DraftEdit {
        recipient: "zoe@example.com".into(),
        ..bad
    };
    save_edit(&mut shop.store, draft.message_id, &good, &shop.clock).expect("saved");
    let bytes = eml_for(&shop.store, draft.message_id, &shop.clock).expect("eml now");
    let parsed = MessageParser::default().parse(&bytes).expect("parses");
    let to = parsed.to().and_then(|to| to.first()).expect("to");
    assert_eq!(to.address(), Some("zoe@example.com"));
    let order = order_id_by_number(shop.store.connection(), "SO-1")
        .expect("read")
        .expect("SO-1");
    assert_eq!(
        order_detail(shop.store.connection(), order)
            .expect("detail")
            .summary
            .customer_email,
        "zoe@example.com"
    );
    // Zoë's other unsent draft got the corrected address as well.
    assert!(
        outbox(&shop.store)
            .expect("outbox")
            .iter()
            .all(|m| recipient_problem(m).is_none())
    );
}

/// The `X-Order-Number` header of an `.eml` file.
fn order_number_in(bytes: &[u8]) -> String {
    let parsed = MessageParser::default().parse(bytes).expect("parses");
    parsed
        .header("X-Order-Number")
        .and_then(|value| value.as_text())
        .expect("X-Order-Number header")
        .to_owned()
}

#[test]
fn every_draft_gets_a_file_of_its_own_whatever_its_order_number() {
    let mut shop = shop();
    let numbers = ["a/b", "a\\b", "a_b", "a:b", "a?b", "a*b"];
    for number in numbers {
        order(
            &mut shop,
            number,
            "Ann Lee",
            "ann@example.com",
            &[("MUG", 1)],
        );
    }
    // An order number of 300 characters (an older version accepted any length).
    let long = "L".repeat(300);
    shop.store
        .connection()
        .execute(
            "UPDATE orders SET order_number = ?1 WHERE order_number = 'SO-2'",
            [&long],
        )
        .expect("long number");
    let drafts = outbox(&shop.store).expect("outbox");
    assert_eq!(drafts.len(), 8, "8 confirmations");
    let path = shop.path.clone();
    drop(shop.store);

    let out = tempfile::tempdir().expect("out dir");
    // A file already in the folder under the name the first draft would get stays as it was.
    let first = drafts
        .iter()
        .find(|draft| draft.order_number == "a/b")
        .expect("a/b draft");
    let taken = out
        .path()
        .join(backorder_desk::app::notify::eml_file_name(first));
    std::fs::write(&taken, b"the shop's own file").expect("write");

    let target = out.path().display().to_string();
    let output = desk(&path, &["notify", "export", &target, "--mark-sent"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("8 message(s) written, marked as sent")
    );
    assert_eq!(std::fs::read(&taken).expect("kept"), b"the shop's own file");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(out.path()).expect("dir") {
        let path = entry.expect("entry").path();
        if path == taken {
            continue;
        }
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(name.len() <= 80, "{name}");
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{name}"
        );
        found.push(order_number_in(&std::fs::read(&path).expect("eml")));
    }
    found.sort();
    let mut expected: Vec<String> = ["SO-1".to_owned(), long]
        .into_iter()
        .chain(numbers.iter().map(|n| (*n).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(
        found, expected,
        "one file per draft, each with its order number"
    );
    let output = desk(&path, &["notify", "list"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "No drafts");
}

#[test]
fn an_internationalised_domain_is_written_as_punycode() {
    let mut shop = shop();
    order(
        &mut shop,
        "SO-3",
        "Jörg",
        "jörg@bücher.example",
        &[("MUG", 1)],
    );
    let draft = outbox(&shop.store)
        .expect("outbox")
        .into_iter()
        .find(|m| m.order_number == "SO-3")
        .expect("SO-3 draft");
    let out = tempfile::tempdir().expect("out dir");
    let export = export_drafts(&mut shop.store, out.path(), false, &shop.clock).expect("export");
    let file = export
        .written
        .iter()
        .find(|path| path.ends_with(backorder_desk::app::notify::eml_file_name(&draft)))
        .expect("SO-3 file");
    let bytes = std::fs::read(file).expect("eml");
    let text = String::from_utf8_lossy(&bytes);
    let to_line = text
        .lines()
        .find(|line| line.starts_with("To:"))
        .expect("To header");
    assert!(to_line.contains("@xn--bcher-kva.example>"), "{to_line}");
    assert!(!to_line.contains("bücher"), "{to_line}");
    let parsed = MessageParser::default().parse(&bytes).expect("parses");
    let to = parsed.to().and_then(|to| to.first()).expect("to");
    assert_eq!(to.address(), Some("jörg@xn--bcher-kva.example"));
    assert_eq!(order_number_in(&bytes), "SO-3");
}

#[test]
fn storefront_orders_without_e_mail_draft_nothing_and_are_listed_instead() {
    use backorder_desk::app::import::{ImportKind, ImportRequest, run_import};
    use backorder_desk::app::jobs::Progress;
    let mut shop = shop();
    // The Etsy file has no e-mail addresses; its order 3301001 waits for a tote (none here).
    product(&mut shop, "canvas-tote", "Canvas Tote", "18.00", 0);
    product(&mut shop, "9371000012", "Stoneware Mug", "14.00", 5);
    product(
        &mut shop,
        "TEE-BLK-S",
        "Classic Tee - Black / S",
        "25.00",
        5,
    );
    let etsy = format!(
        "{}/tests/fixtures/etsy_sold_order_items.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let clock = Clock::fixed(day("2026-03-14"));
    let report = run_import(
        &mut shop.store,
        &ImportRequest::new(ImportKind::Orders, &etsy),
        &clock,
        &Progress::default(),
    )
    .expect("import");
    assert!(report.written, "{:?}", report.summary.errors);
    assert_eq!(report.storefront.expect("report").confirmations, 0);
    let order_id = order_id_by_number(shop.store.connection(), "3301001")
        .expect("query")
        .expect("order");
    assert!(
        order_messages(shop.store.connection(), order_id)
            .expect("messages")
            .is_empty()
    );
    let listed =
        backorder_desk::store::shop_orders::open_orders_without_email(shop.store.connection(), 10)
            .expect("list");
    assert_eq!(listed, [("3301001".to_owned(), "Bo Kim".to_owned())]);

    // Once the address is added on the order, the next message is drafted.
    backorder_desk::app::orders::update_ship_to(
        &mut shop.store,
        order_id,
        &backorder_desk::domain::ship_to::ShipTo::default(),
        Some("bo@example.com"),
    )
    .expect("saved");
    assert!(
        backorder_desk::store::shop_orders::open_orders_without_email(shop.store.connection(), 10)
            .expect("list")
            .is_empty()
    );
    let line = order_detail(shop.store.connection(), order_id)
        .expect("detail")
        .lines[0]
        .line_id;
    cancel_line(&mut shop.store, line, &clock).expect("cancel");
    let messages = order_messages(shop.store.connection(), order_id).expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].recipient, "bo@example.com");
}

#[test]
fn templates_can_name_the_ship_to_address() {
    use backorder_desk::domain::notify::{render, sample_context};
    let rendered = render(
        "Subject: Order {{ order.number }}\nGoing to {{ order.ship_to.name }}, {{ order.ship_to.city }}:\n{{ order.ship_to.text }}",
        &sample_context(MessageKind::Confirmation),
    )
    .expect("renders");
    assert_eq!(
        rendered.body,
        "Going to Zoë Ødegård, Oslo:\nZoë Ødegård\nStorgata 1\n3. etasje\n0155 Oslo\nNO\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Messages that stay true: one current draft per order and purpose.

fn order_id(shop: &Shop, number: &str) -> backorder_desk::store::orders::OrderId {
    order_id_by_number(shop.store.connection(), number)
        .expect("query")
        .expect("order")
}

/// (kind, status, reason) of every message of an order, oldest first.
fn story(shop: &Shop, number: &str) -> Vec<(String, MessageStatus, Option<String>)> {
    order_messages(shop.store.connection(), order_id(shop, number))
        .expect("messages")
        .into_iter()
        .map(|m| (m.kind_id, m.status, m.status_reason))
        .collect()
}

fn drafts_of_order(shop: &Shop, number: &str) -> Vec<String> {
    story(shop, number)
        .into_iter()
        .filter(|(_, status, _)| *status == MessageStatus::Draft)
        .map(|(kind, _, _)| kind)
        .collect()
}

#[test]
fn receiving_early_withdraws_the_delay_notice_and_drafts_ready_instead() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    assert_eq!(drafts_of_order(&shop, "SO-1"), ["confirmation", "delay"]);
    receive(
        &mut shop.store,
        "PO-1",
        None,
        day("2026-03-01"),
        &shop.clock,
    )
    .expect("receive");
    for number in ["SO-1", "SO-2"] {
        // Only the "on its way" message is left to send.
        assert_eq!(drafts_of_order(&shop, number), ["ready"], "{number}");
        let story = story(&shop, number);
        assert!(
            story.contains(&(
                "delay".into(),
                MessageStatus::Superseded,
                Some("Stock reached the items before this was sent: they no longer wait".into())
            )),
            "{number}: {story:?}"
        );
        assert!(
            story.contains(&(
                "confirmation".into(),
                MessageStatus::Superseded,
                Some("Nothing of the order waits any more: it ships from stock".into())
            )),
            "{number}: {story:?}"
        );
    }
}

#[test]
fn cancelling_supersedes_every_waiting_draft_and_drafts_the_cancellation() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let so2 = order_id(&shop, "SO-2");
    backorder_desk::app::orders::cancel_order(&mut shop.store, so2, &shop.clock).expect("cancel");
    assert_eq!(drafts_of_order(&shop, "SO-2"), ["cancellation"]);
    let reason = Some("The order was cancelled before this was sent".to_owned());
    let story = story(&shop, "SO-2");
    for kind in ["confirmation", "delay"] {
        assert!(
            story.contains(&(kind.into(), MessageStatus::Superseded, reason.clone())),
            "{kind}: {story:?}"
        );
    }
}

#[test]
fn a_substitution_offer_goes_when_the_order_ships() {
    let mut shop = shop();
    let so1 = order_id(&shop, "SO-1");
    draft_substitution(&mut shop.store, so1, &shop.clock).expect("offer");
    receive(
        &mut shop.store,
        "PO-1",
        None,
        day("2026-03-01"),
        &shop.clock,
    )
    .expect("receive");
    // Nothing waits any more: the offer is no longer true.
    assert!(story(&shop, "SO-1").contains(&(
        "substitution".into(),
        MessageStatus::Superseded,
        Some("Nothing of the order waits any more".into())
    )));
    backorder_desk::app::orders::ship_order(&mut shop.store, so1, &shop.clock).expect("ship");
    // "On its way" stays true once shipped.
    assert_eq!(drafts_of_order(&shop, "SO-1"), ["ready"]);
}

#[test]
fn several_slipped_lines_of_one_order_make_one_notice_listing_them_all() {
    let mut shop = shop();
    product(&mut shop, "CUP", "Cup, blue", "8.00", 0);
    order(
        &mut shop,
        "SO-3",
        "Ann Lee",
        "ann@example.com",
        &[("MUG", 1), ("CUP", 2)],
    );
    create_po(
        &mut shop.store,
        &PoInput {
            po_number: "PO-2".into(),
            supplier: "Acme".into(),
            ordered_at: None,
            expected_at: Some(day("2026-03-10")),
            confirmed: false,
            lines: vec![("CUP".into(), 5, None)],
        },
        &shop.clock,
    )
    .expect("po");
    move_po_date(&mut shop.store, "PO-1", day("2026-03-25"), &shop.clock).expect("move");
    move_po_date(&mut shop.store, "PO-2", day("2026-03-25"), &shop.clock).expect("move");
    let delays: Vec<Message> = drafts_of(&shop, MessageKind::Delay)
        .into_iter()
        .filter(|m| m.order_number == "SO-3")
        .collect();
    assert_eq!(delays.len(), 1);
    assert!(
        delays[0]
            .body
            .contains("1 x Mug, écru (MUG): now expected to ship Mar 26–29")
    );
    assert!(
        delays[0]
            .body
            .contains("2 x Cup, blue (CUP): now expected to ship Mar 26–29")
    );
}

#[test]
fn a_po_that_only_dates_estimated_lines_drafts_date_known_when_later_and_nothing_when_not() {
    let mut shop = shop();
    // Both wait on the 10-day lead time's estimate: Mar 12–15.
    product(&mut shop, "JUG", "Jug", "20.00", 0);
    product(&mut shop, "BOWL", "Bowl", "20.00", 0);
    order(
        &mut shop,
        "SO-5",
        "Bo Chen",
        "bo@example.com",
        &[("JUG", 1)],
    );
    order(
        &mut shop,
        "SO-6",
        "Cy Dahl",
        "cy@example.com",
        &[("BOWL", 1)],
    );
    let po = |number: &str, sku: &str, expected: &str| PoInput {
        po_number: number.into(),
        supplier: "Acme".into(),
        ordered_at: None,
        expected_at: Some(day(expected)),
        confirmed: false,
        lines: vec![(sku.into(), 5, None)],
    };
    create_po(
        &mut shop.store,
        &po("PO-J", "JUG", "2026-03-24"),
        &shop.clock,
    )
    .expect("po");
    create_po(
        &mut shop.store,
        &po("PO-B", "BOWL", "2026-03-05"),
        &shop.clock,
    )
    .expect("po");
    assert_eq!(
        drafts_of_order(&shop, "SO-5"),
        ["confirmation", "date_known"]
    );
    let known = drafts_of(&shop, MessageKind::DateKnown);
    assert_eq!(known.len(), 1);
    assert!(
        known[0]
            .body
            .contains("1 x Jug (JUG): expected to ship Mar 25–28, by Mar 28 at the latest (our estimate was Mar 12–15)"),
        "{}",
        known[0].body
    );
    // Earlier than the estimate: nothing to tell beyond the confirmation.
    assert_eq!(drafts_of_order(&shop, "SO-6"), ["confirmation"]);
    assert!(
        drafts_of(&shop, MessageKind::Delay)
            .iter()
            .all(|m| m.order_number != "SO-5")
    );
}

#[test]
fn a_sent_notice_is_never_changed_and_a_later_slip_drafts_a_new_one() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let first = drafts_of(&shop, MessageKind::Delay)
        .into_iter()
        .find(|m| m.order_number == "SO-1")
        .expect("SO-1 delay");
    mark_sent(&shop.store, first.message_id, &shop.clock).expect("sent");
    move_po_date(&mut shop.store, "PO-1", day("2026-03-28"), &shop.clock).expect("move");
    let sent = backorder_desk::store::messages::message(shop.store.connection(), first.message_id)
        .expect("message");
    assert_eq!(sent.body, first.body);
    assert_eq!(sent.status, MessageStatus::Sent);
    let renewed = drafts_of(&shop, MessageKind::Delay)
        .into_iter()
        .find(|m| m.order_number == "SO-1")
        .expect("a new notice");
    // It starts from what the sent notice said, and asks again (a renewed option).
    assert!(
        renewed.body.contains("(before: Mar 21–24)"),
        "{}",
        renewed.body
    );
    assert!(
        renewed
            .body
            .contains("later than we told you in our last message"),
        "{}",
        renewed.body
    );
}

#[test]
fn tell_these_customers_lists_unsent_notices_until_sent_or_no_longer_waiting() {
    use backorder_desk::store::messages::pending_notices;
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let pending = pending_notices(shop.store.connection()).expect("list");
    let mut orders: Vec<&str> = pending.iter().map(|p| p.order_number.as_str()).collect();
    orders.sort_unstable();
    assert_eq!(orders, ["SO-1", "SO-2"]);
    let so1 = pending
        .iter()
        .find(|p| p.order_number == "SO-1")
        .expect("SO-1");
    assert_eq!(so1.sku, "MUG");
    assert!(so1.reason.contains("PO-1 moved"), "{}", so1.reason);
    mark_sent(&shop.store, so1.message_id, &shop.clock).expect("sent");
    let pending = pending_notices(shop.store.connection()).expect("list");
    assert_eq!(
        pending
            .iter()
            .map(|p| p.order_number.as_str())
            .collect::<Vec<_>>(),
        ["SO-2"]
    );
    receive(
        &mut shop.store,
        "PO-1",
        None,
        day("2026-03-01"),
        &shop.clock,
    )
    .expect("receive");
    assert!(
        pending_notices(shop.store.connection())
            .expect("list")
            .is_empty()
    );
}

#[test]
fn cli_list_json_has_the_status_and_all_shows_superseded_ones() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    receive(
        &mut shop.store,
        "PO-1",
        None,
        day("2026-03-01"),
        &shop.clock,
    )
    .expect("receive");
    let path = shop.path.clone();
    drop(shop.store);
    let rows = |args: &[&str]| -> Vec<serde_json::Value> {
        let output = desk(&path, args);
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| serde_json::from_str(line).expect("json"))
            .collect()
    };
    let current = rows(&["notify", "list", "--json"]);
    assert_eq!(current.len(), 2, "{current:?}");
    assert!(
        current
            .iter()
            .all(|row| row["status"] == "draft" && row["kind"] == "ready")
    );
    let all = rows(&["notify", "list", "--json", "--all"]);
    let superseded: Vec<&serde_json::Value> = all
        .iter()
        .filter(|row| row["status"] == "superseded")
        .collect();
    // Per order: the first confirmation (redrafted when PO-1 dated it, then when it moved), the
    // last confirmation and the delay notice when the stock came.
    assert_eq!(superseded.len(), 8, "{all:?}");
    assert!(
        superseded
            .iter()
            .all(|row| row["reason"].as_str().is_some_and(|r| !r.is_empty()))
    );
}

// ---------------------------------------------------------------------------------------------
// Sending through an SMTP server (a small one the test starts on 127.0.0.1).

fn use_server(shop: &Shop, port: u16) {
    use backorder_desk::store::settings::{SMTP_HOST, SMTP_PORT, SMTP_SECURITY};
    shop.store
        .set_setting(SMTP_HOST, "127.0.0.1")
        .expect("host");
    shop.store
        .set_setting(SMTP_PORT, &port.to_string())
        .expect("port");
    shop.store
        .set_setting(SMTP_SECURITY, "none")
        .expect("security");
}

#[test]
fn a_message_is_sent_only_when_the_server_accepted_it_and_its_message_id_is_kept() {
    use backorder_desk::app::send::{drafts_to_send, send_all, smtp_settings};
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let server = smtp_server::TestSmtp::start(&["ann@example.com"], 10);
    use_server(&shop, server.port());
    let settings = smtp_settings(&shop.store).expect("settings");
    assert!(!settings.needs_password());
    let drafts = drafts_to_send(&shop.store, None).expect("drafts");
    assert_eq!(drafts.len(), 4);
    let mut heard = 0;
    let results = send_all(
        &shop.store,
        &drafts,
        &settings.config(""),
        &shop.clock,
        |_| {
            heard += 1;
        },
    )
    .expect("send");
    assert_eq!(heard, 4);
    let (sent, refused): (Vec<_>, Vec<_>) =
        results.iter().partition(|result| result.outcome.is_ok());
    assert_eq!(sent.len(), 2, "{results:?}");
    assert!(sent.iter().all(|r| r.recipient == "zoe@example.com"));
    for result in &refused {
        let error = result.outcome.as_ref().expect_err("refused");
        assert!(
            error.contains("refused it: 550")
                && error.contains("Recipient address rejected: User unknown"),
            "{error}"
        );
    }
    // What the server holds is what the shop file says was sent, Message-ID for Message-ID.
    let received = server.messages();
    assert_eq!(received.len(), 2);
    for message in outbox(&shop.store).expect("outbox") {
        assert_eq!(
            message.recipient, "ann@example.com",
            "only Ann's stay drafts"
        );
        let error = message.send_error.expect("the server's answer is kept");
        assert!(error.contains("550 5.1.1"), "{error}");
    }
    let delivered: Vec<Message> = history(&shop.store, None)
        .expect("history")
        .into_iter()
        .filter(|m| m.status == MessageStatus::Sent)
        .collect();
    assert_eq!(delivered.len(), 2);
    for message in &delivered {
        let id = message.message_id_header.clone().expect("Message-ID kept");
        assert!(
            received
                .iter()
                .any(|r| r.header("Message-ID").as_deref() == Some(id.as_str())
                    && r.to == ["zoe@example.com"]),
            "{id} not among {received:?}"
        );
        assert_eq!(message.sent_at.as_deref(), Some("2026-03-01 12:00:00"));
    }
}

#[test]
fn a_server_that_is_down_leaves_every_draft_a_draft_with_the_reason() {
    use backorder_desk::app::send::{drafts_to_send, send_all, smtp_settings};
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let port = smtp_server::TestSmtp::closed_port();
    use_server(&shop, port);
    let settings = smtp_settings(&shop.store).expect("settings");
    let drafts = drafts_to_send(&shop.store, Some(MessageKind::Delay)).expect("drafts");
    assert_eq!(drafts.len(), 2);
    let results = send_all(
        &shop.store,
        &drafts,
        &settings.config(""),
        &shop.clock,
        |_| {},
    )
    .expect("send");
    for result in &results {
        let error = result.outcome.as_ref().expect_err("down");
        assert!(
            error.starts_with(&format!("Cannot send through 127.0.0.1:{port}")),
            "{error}"
        );
    }
    assert_eq!(outbox(&shop.store).expect("outbox").len(), 4);
    assert!(
        history(&shop.store, None)
            .expect("history")
            .iter()
            .all(|m| m.status != MessageStatus::Sent)
    );
}

#[test]
fn cli_send_dry_run_then_by_kind_and_says_what_the_server_refused() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let server = smtp_server::TestSmtp::start(&["ann@example.com"], 10);
    use_server(&shop, server.port());
    let path = shop.path.clone();
    drop(shop.store);
    let output = desk(&path, &["notify", "send", "--kind", "delay", "--dry-run"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("would send: delay SO-1 to zoe@example.com"),
        "{text}"
    );
    assert!(
        text.contains("2 message(s) would be sent; nothing sent"),
        "{text}"
    );
    assert!(server.messages().is_empty());

    let output = desk(&path, &["notify", "send", "--kind", "delay"]);
    assert!(!output.status.success(), "one was refused");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("sent: delay SO-1 to zoe@example.com (250 "),
        "{text}"
    );
    assert!(
        text.contains("not sent: delay SO-2 to ann@example.com: 127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("1 sent, 1 not sent"), "{text}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("stay drafts with the server's answer")
    );
    assert_eq!(server.messages().len(), 1);
    let output = desk(&path, &["notify", "list", "--json"]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    // Two confirmations and Ann's delay notice, which keeps the server's answer.
    assert_eq!(rows.len(), 3);
    let ann = rows
        .iter()
        .find(|row| row["kind"] == "delay")
        .expect("Ann's delay");
    assert!(
        ann["error"]
            .as_str()
            .is_some_and(|e| e.contains("550 5.1.1")),
        "{ann}"
    );
    let output = desk(&path, &["notify", "send", "--kind", "spam"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown kind 'spam'"));
}

#[test]
fn cli_deadlines_follow_the_notice_and_the_answers() {
    let mut shop = shop();
    move_po_date(&mut shop.store, "PO-1", day("2026-03-20"), &shop.clock).expect("move");
    let so1_delay = drafts_of(&shop, MessageKind::Delay)
        .into_iter()
        .find(|m| m.order_number == "SO-1")
        .expect("SO-1 delay");
    let path = shop.path.clone();
    let deadlines = |path: &std::path::Path| -> Vec<serde_json::Value> {
        let output = desk(path, &["notify", "deadlines", "--json"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| serde_json::from_str(line).expect("json"))
            .collect()
    };
    let row = |rows: &[serde_json::Value], order: &str| -> serde_json::Value {
        rows.iter()
            .find(|row| row["order_number"] == order)
            .cloned()
            .expect("row")
    };
    // Promised Mar 15 (the window given when ordering, Mar 12–15); now Mar 21–24: a first
    // notice is due by Mar 15.
    let rows = deadlines(&path);
    assert_eq!(rows.len(), 2);
    for order in ["SO-1", "SO-2"] {
        let line = row(&rows, order);
        assert_eq!(line["sku"], "MUG");
        assert_eq!(line["promised_by"], "2026-03-15");
        assert_eq!(line["notice_due_by"], "2026-03-15");
        assert_eq!(line["stage"], "first_notice_due");
        assert_eq!(line["consent"], "none");
    }
    // SO-1's notice goes out (revised date Mar 24, 9 days after the promise). Under both rules
    // (the default) silence does not count: an answer is due by Mar 15 (EU art. 18(1)).
    mark_sent(&shop.store, so1_delay.message_id, &shop.clock).expect("sent");
    let line = row(&deadlines(&path), "SO-1");
    assert_eq!(line["stage"], "waiting_for_answer");
    assert_eq!(line["due_by"], "2026-03-15");
    // Under the FTC rule alone silence is consent to ship by Mar 24 (435.2(b)(1)(ii)).
    shop.store
        .set_setting(backorder_desk::store::settings::LEGAL_RULE, "us")
        .expect("rule");
    let line = row(&deadlines(&path), "SO-1");
    assert_eq!(line["stage"], "none");
    assert_eq!(line["consent"], "silent");
    assert_eq!(line["due_by"], "2026-03-24");
    drop(shop.store);
    // The customer agrees to wait until Mar 30.
    let output = desk(
        &path,
        &["notify", "answer", "SO-1", "wait", "--until", "2026-03-30"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = row(&deadlines(&path), "SO-1");
    assert_eq!(line["consent"], "agreed");
    assert_eq!(line["agreed_until"], "2026-03-30");
    assert_eq!(line["stage"], "none");
    // Then asks to cancel: the waiting lines go, and the unit reserved for SO-1 goes to SO-2.
    let output = desk(&path, &["notify", "answer", "SO-1", "cancel"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "the customer asked to cancel; 1 waiting line(s) cancelled; freed stock went to SO-2"
        ),
        "{text}"
    );
    let rows = deadlines(&path);
    assert_eq!(rows.len(), 1);
    assert_eq!(row(&rows, "SO-2")["order_number"], "SO-2");
    let store = Store::open(&path).expect("open");
    let so2 = order_detail(
        store.connection(),
        order_id_by_number(store.connection(), "SO-2")
            .expect("query")
            .expect("SO-2"),
    )
    .expect("detail");
    assert_eq!(so2.lines[0].quantities.reserved, 1);
    let reason: Option<String> = store
        .connection()
        .query_row(
            "SELECT l.cancel_reason FROM order_lines l JOIN orders o ON o.order_id = l.order_id
              WHERE o.order_number = 'SO-1'",
            [],
            |r| r.get(0),
        )
        .expect("reason");
    assert_eq!(reason.as_deref(), Some("customer"));
    let output = desk(&path, &["notify", "answer", "SO-1", "wait"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Order SO-1 is cancelled"));
}

#[test]
fn migration_15_keeps_every_message_and_turns_replaced_into_superseded_with_a_reason() {
    use backorder_desk::store::create_at_version;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v14.sqlite");
    create_at_version(&path, 14).expect("version 14");
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(
            "INSERT INTO customers (customer_id, name, email) VALUES (1, 'Ann', 'ann@example.com');
             INSERT INTO products (product_id, sku, name, created_at, updated_at)
                  VALUES (1, 'MUG', 'Mug', '2026-02-01', '2026-02-01');
             INSERT INTO orders (order_id, order_number, customer_id, ordered_at)
                  VALUES (1, 'SO-1', 1, '2026-02-01 10:00:00');
             INSERT INTO order_lines (line_id, order_id, line_no, product_id, quantity,
                                      backordered_at_order_qty)
                  VALUES (1, 1, 1, 1, 2, 2);
             INSERT INTO line_promises (line_id, eta_start, eta_end, covered_by, computed_on)
                  VALUES (1, '2026-03-05', '2026-03-08', 'PO-1', '2026-02-20');
             INSERT INTO promise_changes (line_id, detected_on, old_start, old_end, new_start,
                                          new_end, reason)
                  VALUES (1, '2026-02-20', '2026-02-10', '2026-02-13', '2026-03-05', '2026-03-08',
                          'PO-1 moved');
             INSERT INTO messages (message_id, order_id, kind, event_key, status, recipient_name,
                                   recipient, subject, body, created_at, updated_at, sent_at)
                  VALUES (1, 1, 'confirmation', 'placed', 'sent', 'Ann', 'ann@example.com', 'S1',
                          'B1', '2026-02-01', '2026-02-01', '2026-02-01 11:00:00'),
                         (2, 1, 'delay', 'delay:1@2026-03-01', 'replaced', 'Ann',
                          'ann@example.com', 'S2', 'B2', '2026-02-15', '2026-02-20', NULL),
                         (3, 1, 'delay', 'delay:1@2026-03-08', 'draft', 'Ann', 'ann@example.com',
                          'S3', 'B3', '2026-02-20', '2026-02-20', NULL);",
        )
        .expect("v14 rows");
    }
    let store = Store::open(&path).expect("migrates");
    let order = order_id_by_number(store.connection(), "SO-1")
        .expect("query")
        .expect("SO-1");
    let all = order_messages(store.connection(), order).expect("messages");
    let rows: Vec<(i64, &str, MessageStatus, Option<&str>, &str)> = all
        .iter()
        .map(|m| {
            (
                m.message_id,
                m.purpose.as_str(),
                m.status,
                m.status_reason.as_deref(),
                m.body.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, "confirmation", MessageStatus::Sent, None, "B1"),
            (
                2,
                "delay",
                MessageStatus::Superseded,
                Some("A newer draft of the same kind took its place"),
                "B2"
            ),
            (3, "delay", MessageStatus::Draft, None, "B3"),
        ]
    );
    // The open line's promise: the window before its first slip, ending Feb 13.
    let (start, end, promised): (String, String, String) = store
        .connection()
        .query_row(
            "SELECT eta_start, eta_end, promised_by FROM line_commitments WHERE line_id = 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("commitment");
    assert_eq!(
        (start.as_str(), end.as_str(), promised.as_str()),
        ("2026-02-10", "2026-02-13", "2026-02-13")
    );
    // At most one unsent draft per order and purpose, enforced by the file itself.
    let second = store.connection().execute(
        "INSERT INTO messages (order_id, kind, purpose, event_key, recipient_name, recipient,
                               subject, body, created_at, updated_at)
         VALUES (1, 'date_known', 'delay', 'x', 'Ann', 'ann@example.com', 'S', 'B', 'd', 'd')",
        [],
    );
    assert!(second.is_err());
}
