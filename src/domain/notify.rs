//! Customer messages: the kinds, their default templates, the data a template sees, rendering,
//! and the choice of substitutes. The shop sends the messages; this only drafts them.

use std::fmt;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::ids::ProductId;

/// What a message is for: at most one unsent draft per order and purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    Confirmation,
    Delay,
    Ready,
    Substitution,
    Cancellation,
    Payment,
}

impl Purpose {
    pub const ALL: [Self; 6] = [
        Self::Confirmation,
        Self::Delay,
        Self::Ready,
        Self::Substitution,
        Self::Cancellation,
        Self::Payment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Confirmation => "confirmation",
            Self::Delay => "delay",
            Self::Ready => "ready",
            Self::Substitution => "substitution",
            Self::Cancellation => "cancellation",
            Self::Payment => "payment",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|purpose| purpose.code() == code)
    }
}

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageKind {
    /// Order confirmation that names what ships now and what waits, with dates.
    Confirmation,
    /// A promised window moved later (or became unknown); the customer may cancel.
    Delay,
    /// Lines that waited are ready and leave now.
    Ready,
    /// In-stock alternatives for waiting lines.
    Substitution,
    /// Items were cancelled.
    Cancellation,
    /// Confirmation of an order that waits only for preorder products.
    Preorder,
    /// The card capture failed: please update the payment so the ready items can ship.
    Payment,
    /// A purchase order now dates lines that had only an estimate (or no date), later than the
    /// customer was told; the customer may cancel.
    DateKnown,
}

impl MessageKind {
    pub const ALL: [Self; 8] = [
        Self::Confirmation,
        Self::Delay,
        Self::DateKnown,
        Self::Ready,
        Self::Substitution,
        Self::Cancellation,
        Self::Preorder,
        Self::Payment,
    ];

    /// The identifier used in the shop file, the command line and file names.
    pub fn id(self) -> &'static str {
        match self {
            Self::Confirmation => "confirmation",
            Self::Delay => "delay",
            Self::Ready => "ready",
            Self::Substitution => "substitution",
            Self::Cancellation => "cancellation",
            Self::Preorder => "preorder",
            Self::Payment => "payment",
            Self::DateKnown => "date_known",
        }
    }

    /// What the message is for: one unsent draft per order and purpose.
    pub fn purpose(self) -> Purpose {
        match self {
            Self::Confirmation | Self::Preorder => Purpose::Confirmation,
            Self::Delay | Self::DateKnown => Purpose::Delay,
            Self::Ready => Purpose::Ready,
            Self::Substitution => Purpose::Substitution,
            Self::Cancellation => Purpose::Cancellation,
            Self::Payment => Purpose::Payment,
        }
    }

    /// Messages that speak about waiting lines: withdrawn when the order ships or is cancelled.
    pub fn is_delay_notice(self) -> bool {
        self.purpose() == Purpose::Delay
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Confirmation => "Order confirmation",
            Self::Delay => "Delay notice",
            Self::Ready => "Ready to ship",
            Self::Substitution => "Substitution offer",
            Self::Cancellation => "Cancellation",
            Self::Preorder => "Preorder confirmation",
            Self::Payment => "Payment update request",
            Self::DateKnown => "Date now known",
        }
    }

    /// The template the shop starts with (`assets/templates/<id>.txt`).
    pub fn default_template(self) -> &'static str {
        match self {
            Self::Confirmation => include_str!("../../assets/templates/confirmation.txt"),
            Self::Delay => include_str!("../../assets/templates/delay.txt"),
            Self::Ready => include_str!("../../assets/templates/ready.txt"),
            Self::Substitution => include_str!("../../assets/templates/substitution.txt"),
            Self::Cancellation => include_str!("../../assets/templates/cancellation.txt"),
            Self::Preorder => include_str!("../../assets/templates/preorder.txt"),
            Self::Payment => include_str!("../../assets/templates/payment.txt"),
            Self::DateKnown => include_str!("../../assets/templates/date_known.txt"),
        }
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Everything a template can use. Dates are already written in the shop's date style.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageContext {
    pub shop: ShopInfo,
    pub customer: CustomerInfo,
    pub order: OrderInfo,
    /// The lines the message is about (for a confirmation: every open line).
    pub lines: Vec<LineInfo>,
    /// In-stock alternatives (substitution offers only).
    pub substitutes: Vec<SubstituteInfo>,
    /// What a delay notice means legally (delay notices and "date now known" only).
    pub notice: NoticeInfo,
}

/// The elements the law asks of a delay notice (16 CFR 435.2(b)(1)–(2); Directive 2011/83/EU
/// art. 18): whether silence counts as consent, by when a yes is needed, and what happens
/// without one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "the separate statements a notice must make, as a template sees them"
)]
pub struct NoticeInfo {
    /// A notice about these items went out before: this one asks again.
    pub renewed: bool,
    /// Silence counts as agreement to the new dates (a first notice, new date at most 30 days
    /// after the promised one, US rule).
    pub silence_is_consent: bool,
    /// The customer must say yes to keep waiting.
    pub answer_needed: bool,
    /// By when, e.g. "Mar 31"; empty: as soon as possible.
    pub answer_by: String,
    /// Without a yes the delayed items are cancelled and refunded.
    pub cancelled_without_answer: bool,
    /// Some item has no date: the customer may agree to wait without one and still cancel
    /// any time before it ships.
    pub no_date: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShopInfo {
    pub name: String,
    pub signature: String,
    pub sender: String,
}

impl ShopInfo {
    /// From the stored settings: a shop without a name is "Our shop", one without a signature
    /// signs "Kind regards," and its name.
    pub fn from_settings(
        name: Option<&str>,
        signature: Option<&str>,
        sender: Option<&str>,
    ) -> Self {
        let name = name
            .filter(|name| !name.trim().is_empty())
            .map_or_else(|| "Our shop".to_owned(), str::to_owned);
        let signature = signature
            .filter(|text| !text.trim().is_empty())
            .map_or_else(|| format!("Kind regards,\n{name}"), str::to_owned);
        Self {
            name,
            signature,
            sender: sender.unwrap_or_default().to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerInfo {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderInfo {
    pub number: String,
    pub date: String,
    /// The amount the message is about, e.g. "45.00" (payment requests: the amount to capture);
    /// empty otherwise.
    pub amount: String,
    /// Where the parcel goes: `order.ship_to.name`, `.company`, `.address1`, `.address2`,
    /// `.city`, `.postal_code`, `.region`, `.country`, `.phone`, and `.text` (the address as
    /// label lines, empty parts left out).
    pub ship_to: ShipToInfo,
}

/// An order's ship-to address for templates.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ShipToInfo {
    pub name: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub postal_code: String,
    pub region: String,
    pub country: String,
    pub phone: String,
    /// The address as printed on a label, one line per part.
    pub text: String,
}

impl From<&super::ship_to::ShipTo> for ShipToInfo {
    fn from(address: &super::ship_to::ShipTo) -> Self {
        Self {
            name: address.name.clone(),
            company: address.company.clone(),
            address1: address.address1.clone(),
            address2: address.address2.clone(),
            city: address.city.clone(),
            postal_code: address.postal_code.clone(),
            region: address.region.clone(),
            country: address.country.clone(),
            phone: address.phone.clone(),
            text: address.lines().join("\n"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineInfo {
    pub sku: String,
    pub name: String,
    /// Units the message is about (ordered, shipped or cancelled, depending on the kind).
    pub quantity: i64,
    /// Units reserved from stock (ship now).
    pub quantity_now: i64,
    /// Units still waiting.
    pub quantity_waiting: i64,
    /// The badge as the shop sees it, e.g. "Backordered – ships Mar 3–7".
    pub badge: String,
    /// The window, e.g. "Mar 3–7"; empty when unknown.
    pub eta: String,
    pub eta_start: String,
    pub eta_end: String,
    pub eta_known: bool,
    /// The last day of the window ("definite revised shipping date"); empty when unknown.
    pub ship_by: String,
    /// The window promised before (delay notices); empty otherwise.
    pub old_eta: String,
    /// Why there is no date, in words for the customer; empty when there is one.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubstituteInfo {
    pub sku: String,
    pub name: String,
    /// Price as text, e.g. "19.90".
    pub price: String,
    pub available: i64,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// What is wrong with a template, with the line (1-based) when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TemplateError {}

/// The longest template source accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;
/// The longest rendered message, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;
/// Template instructions one rendering may run: ample for an order of 10,000 lines, and a loop
/// that would run for ever (or for hours) stops with an error instead.
const TEMPLATE_FUEL: u64 = 5_000_000;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // A misspelt placeholder must be an error, not an empty gap in a customer's e-mail.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(TEMPLATE_FUEL));
    // Message templates have no use for deep recursion (a macro calling itself); a low limit
    // keeps the stack small on any thread.
    env.set_recursion_limit(32);
    if let Ok(syntax) = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env
}

fn template_error(error: &minijinja::Error) -> TemplateError {
    let message = match error.kind() {
        minijinja::ErrorKind::OutOfFuel => {
            "the template does too much work (a loop that runs too often?)".to_owned()
        }
        minijinja::ErrorKind::WriteFailure => format!(
            "the message would be longer than {} MB",
            MAX_MESSAGE_BYTES >> 20
        ),
        kind => error
            .detail()
            .map_or_else(|| kind.to_string(), |detail| format!("{kind} ({detail})")),
    };
    TemplateError {
        line: error.line(),
        message,
    }
}

/// Collects the rendered text and refuses to grow past [`MAX_MESSAGE_BYTES`].
struct Capped(Vec<u8>);

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_MESSAGE_BYTES {
            return Err(std::io::Error::other("message too long"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders a template: the first line is `Subject: …`, the rest (after optional blank lines) is
/// the body. Line numbers in errors are those of the template text.
///
/// The data is text: a product named `{{ 7*7 }}` prints as written. A template may not be
/// longer than 64 KB, run more than a few million instructions or write more than 1 MB, so no
/// template can hang the window or fill the memory.
pub fn render(template: &str, context: &MessageContext) -> Result<Rendered, TemplateError> {
    if template.len() > MAX_TEMPLATE_BYTES {
        return Err(TemplateError {
            line: None,
            message: format!(
                "the template is longer than {} KB",
                MAX_TEMPLATE_BYTES >> 10
            ),
        });
    }
    let env = environment();
    let compiled = env
        .template_from_str(template)
        .map_err(|error| template_error(&error))?;
    let mut output = Capped(Vec::new());
    compiled
        .render_captured_to(Serde(context), &mut output)
        .map_err(|error| template_error(&error))?;
    let output = String::from_utf8_lossy(&output.0);
    split_subject(&output)
}

fn split_subject(output: &str) -> Result<Rendered, TemplateError> {
    let (first, rest) = output.split_once('\n').unwrap_or((output, ""));
    let subject = first
        .trim_end_matches('\r')
        .strip_prefix("Subject:")
        .map(str::trim)
        .ok_or_else(|| TemplateError {
            line: Some(1),
            message: "the first line must be the subject, written as 'Subject: …'".to_owned(),
        })?;
    if subject.is_empty() {
        return Err(TemplateError {
            line: Some(1),
            message: "the subject is empty".to_owned(),
        });
    }
    Ok(Rendered {
        subject: subject.to_owned(),
        body: tidy_body(rest),
    })
}

/// Leading blank lines go, runs of more than one blank line become one, trailing spaces are
/// trimmed and the body ends with exactly one newline.
fn tidy_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0usize;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() && blank_run > 0 {
            out.push('\n');
        }
        blank_run = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A fixed order used for the live preview and for checking a template before it is saved,
/// with the lines a message of `kind` would carry: a line shipping now, a dated backorder, one
/// without a date, and non-ASCII names.
#[expect(
    clippy::too_many_lines,
    reason = "sample data: one fixed order whose lines cover every case a template can show"
)]
pub fn sample_context(kind: MessageKind) -> MessageContext {
    let line = |sku: &str, name: &str, quantity, now, waiting, eta: Option<(&str, &str, &str)>| {
        let (eta, start, end) = eta.unwrap_or(("", "", ""));
        LineInfo {
            sku: sku.to_owned(),
            name: name.to_owned(),
            quantity,
            quantity_now: now,
            quantity_waiting: waiting,
            badge: if waiting == 0 {
                "In stock".to_owned()
            } else if eta.is_empty() {
                "Backordered – date unknown".to_owned()
            } else {
                format!("Backordered – ships {eta}")
            },
            eta: eta.to_owned(),
            eta_start: start.to_owned(),
            eta_end: end.to_owned(),
            eta_known: !eta.is_empty(),
            ship_by: end.to_owned(),
            old_eta: if waiting > 0 && !eta.is_empty() {
                "Feb 24–27".to_owned()
            } else {
                String::new()
            },
            reason: if waiting > 0 && eta.is_empty() {
                "the supplier has not confirmed a delivery yet".to_owned()
            } else {
                String::new()
            },
        }
    };
    let mut lines = vec![
        line("TEA-001", "Rooibos tea, 250 g", 2, 2, 0, None),
        line(
            "MUG-ÉCRU",
            "Stoneware mug, écru",
            3,
            1,
            2,
            Some(("Mar 3–7", "Mar 3", "Mar 7")),
        ),
        line("KET-9", "Cast-iron kettle", 1, 0, 1, None),
    ];
    match kind {
        MessageKind::Confirmation => {}
        MessageKind::Delay | MessageKind::DateKnown | MessageKind::Substitution => {
            lines.retain(|line| line.quantity_waiting > 0);
        }
        MessageKind::Ready => {
            lines.retain(|line| line.sku == "MUG-ÉCRU");
            for line in &mut lines {
                line.quantity = line.quantity_waiting;
                line.quantity_now = line.quantity_waiting;
                line.quantity_waiting = 0;
                "In stock".clone_into(&mut line.badge);
            }
        }
        MessageKind::Cancellation => lines.retain(|line| line.sku == "KET-9"),
        MessageKind::Payment => {
            lines.retain(|line| line.quantity_now > 0);
            for line in &mut lines {
                line.quantity = line.quantity_now;
            }
        }
        MessageKind::Preorder => {
            lines.retain(|line| line.sku == "MUG-ÉCRU");
            for line in &mut lines {
                line.quantity_now = 0;
                line.quantity_waiting = line.quantity;
                line.badge = format!("Preorder – ships {}", line.eta);
                line.old_eta.clear();
            }
        }
    }
    MessageContext {
        shop: ShopInfo {
            name: "Nordlicht Naturwaren".to_owned(),
            signature: "Kind regards,\nJosé from Nordlicht Naturwaren".to_owned(),
            sender: "shop@example.com".to_owned(),
        },
        customer: CustomerInfo {
            name: "Zoë Ødegård".to_owned(),
            email: "zoe@example.com".to_owned(),
        },
        order: OrderInfo {
            number: "SO-1042".to_owned(),
            date: "Feb 20".to_owned(),
            amount: if kind == MessageKind::Payment {
                "59.60".to_owned()
            } else {
                String::new()
            },
            ship_to: ShipToInfo::from(&super::ship_to::ShipTo {
                name: "Zoë Ødegård".to_owned(),
                company: String::new(),
                address1: "Storgata 1".to_owned(),
                address2: "3. etasje".to_owned(),
                city: "Oslo".to_owned(),
                postal_code: "0155".to_owned(),
                region: String::new(),
                country: "NO".to_owned(),
                phone: String::new(),
            }),
        },
        lines,
        substitutes: vec![SubstituteInfo {
            sku: "MUG-SAND".to_owned(),
            name: "Stoneware mug, sand".to_owned(),
            price: "14.90".to_owned(),
            available: 12,
        }],
        notice: if kind.is_delay_notice() {
            NoticeInfo {
                renewed: false,
                silence_is_consent: false,
                answer_needed: true,
                answer_by: "Mar 31".to_owned(),
                cancelled_without_answer: true,
                no_date: true,
            }
        } else {
            NoticeInfo::default()
        },
    }
}

/// A product that could stand in for a waiting one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    /// On hand minus reserved.
    pub available: i64,
}

/// Most alternatives offered for one product.
pub const MAX_SUBSTITUTES: usize = 3;
/// How far (per cent) an alternative's price may be from the waiting product's.
pub const PRICE_TOLERANCE_PCT: i64 = 20;

/// Alternatives for `target`: other products of the same (non-empty) category, priced within
/// ±20% of it, with stock available now; the 3 with the most available stock (ties by SKU).
pub fn substitutes<'a>(
    target: &Candidate,
    catalog: impl IntoIterator<Item = &'a Candidate>,
) -> Vec<Candidate> {
    let category = target.category.trim();
    if category.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Candidate> = catalog
        .into_iter()
        .filter(|other| {
            other.product_id != target.product_id
                && other.available > 0
                && other.category.trim().eq_ignore_ascii_case(category)
                && (other.price_cents - target.price_cents).abs() * 100
                    <= target.price_cents * PRICE_TOLERANCE_PCT
        })
        .cloned()
        .collect();
    found.sort_by(|a, b| {
        b.available
            .cmp(&a.available)
            .then_with(|| a.sku.cmp(&b.sku))
    });
    found.truncate(MAX_SUBSTITUTES);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_template_renders_on_the_sample() {
        for kind in MessageKind::ALL {
            let rendered = render(kind.default_template(), &sample_context(kind))
                .unwrap_or_else(|error| panic!("{kind:?}: {error}"));
            assert!(rendered.subject.contains("SO-1042"), "{kind:?}");
            assert!(rendered.body.starts_with("Hello Zoë Ødegård,"), "{kind:?}");
            assert!(
                rendered.body.ends_with("Nordlicht Naturwaren\n"),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn kinds_round_trip_their_ids() {
        for kind in MessageKind::ALL {
            assert_eq!(MessageKind::from_id(kind.id()), Some(kind));
        }
        assert_eq!(MessageKind::from_id("spam"), None);
    }

    #[test]
    fn errors_name_the_line() {
        let error = render(
            "Subject: x\n\nHello\n{{ custmer.name }}\n",
            &sample_context(MessageKind::Confirmation),
        )
        .expect_err("unknown variable");
        assert_eq!(error.line, Some(4));
        let error = render(
            "Subject: x\n\n{% for line in lines %}\n",
            &sample_context(MessageKind::Confirmation),
        )
        .expect_err("unclosed block");
        assert!(error.line.is_some());
        let error =
            render("Hello\n", &sample_context(MessageKind::Confirmation)).expect_err("no subject");
        assert_eq!(error.line, Some(1));
        assert!(error.message.contains("Subject:"));
    }

    #[test]
    fn body_is_tidied() {
        let rendered = render(
            "Subject:  Hi  \n\n\nA  \n\n\n\nB\n\n",
            &sample_context(MessageKind::Confirmation),
        )
        .expect("renders");
        assert_eq!(rendered.subject, "Hi");
        assert_eq!(rendered.body, "A\n\nB\n");
    }

    fn candidate(id: i64, category: &str, price_cents: i64, available: i64) -> Candidate {
        Candidate {
            product_id: ProductId(id),
            sku: format!("S{id}"),
            name: format!("Product {id}"),
            category: category.to_owned(),
            price_cents,
            available,
        }
    }

    #[test]
    fn substitutes_same_category_within_twenty_percent_most_stock_first() {
        let target = candidate(1, "Mugs", 10_00, 0);
        let catalog = [
            target.clone(),
            candidate(2, "Mugs", 12_00, 5),  // +20%: in
            candidate(3, "Mugs", 12_01, 50), // just over +20%: out
            candidate(4, "mugs", 8_00, 7),   // −20%, category case-insensitive: in
            candidate(5, "Mugs", 7_99, 9),   // just under −20%: out
            candidate(6, "Tea", 10_00, 99),  // other category: out
            candidate(7, "Mugs", 10_00, 0),  // nothing available: out
            candidate(8, "Mugs", 11_00, 7),  // tie on stock with 4: by SKU
            candidate(9, "Mugs", 9_00, 1),   // fourth best: cut
        ];
        let found: Vec<i64> = substitutes(&target, &catalog)
            .iter()
            .map(|c| c.product_id.0)
            .collect();
        assert_eq!(found, vec![4, 8, 2]);
    }

    #[test]
    fn no_category_no_substitutes() {
        let target = candidate(1, " ", 10_00, 0);
        assert!(substitutes(&target, &[candidate(2, " ", 10_00, 5)]).is_empty());
    }
}
