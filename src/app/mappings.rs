//! Column mappings for orders files of other platforms: saved under a name, offered again for
//! files with the same header, used by `import orders FILE --mapping NAME`.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::store::Connection;
use thiserror::Error;

use super::Clock;
use crate::domain::shop_orders::{MappedField, missing_fields};
use crate::io::csv_import::{self, ColumnMapping, FilePeek};
use crate::store::shop_orders::{SavedMapping, mapping_by_name, mapping_for_header, save_mapping};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum MappingError {
    #[error(
        "There is no saved column mapping named '{0}'; map the file's columns in the window first (File › Import orders…)"
    )]
    NotFound(String),
    #[error(
        "The saved column mapping '{name}' cannot be read ({detail}); map the file's columns again"
    )]
    Unreadable { name: String, detail: String },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn parse(saved: &SavedMapping) -> Result<ColumnMapping, MappingError> {
    serde_json::from_str(&saved.fields_json).map_err(|error| MappingError::Unreadable {
        name: saved.name.clone(),
        detail: error.to_string(),
    })
}

/// The saved mapping of this name.
pub fn load(conn: &Connection, name: &str) -> Result<ColumnMapping, MappingError> {
    let saved = mapping_by_name(conn, name)?
        .ok_or_else(|| MappingError::NotFound(name.trim().to_owned()))?;
    parse(&saved)
}

/// The newest mapping saved for a file with this header, with its name.
pub fn for_header(
    store: &Store,
    signature: &str,
) -> Result<Option<(String, ColumnMapping)>, MappingError> {
    match mapping_for_header(store.connection(), signature)? {
        Some(saved) => Ok(Some((saved.name.clone(), parse(&saved)?))),
        None => Ok(None),
    }
}

/// Checks a mapping before it is saved or used: a name, the required fields, columns of the
/// file.
pub fn check(name: &str, mapping: &ColumnMapping, columns: &[String]) -> Result<(), MappingError> {
    if name.trim().is_empty() {
        return Err(MappingError::Invalid(
            "Give the mapping a name (for example the platform's name) so it can be used again"
                .into(),
        ));
    }
    if crate::domain::text::has_control_chars(name) {
        return Err(MappingError::Invalid(
            "The mapping's name must not contain line breaks or tabs".into(),
        ));
    }
    let missing = missing_fields(&mapping.fields());
    if !missing.is_empty() {
        return Err(MappingError::Invalid(format!(
            "Choose a column for: {}",
            missing.join(", ")
        )));
    }
    for (field, column) in &mapping.columns {
        if !columns.iter().any(|name| name == column) {
            return Err(MappingError::Invalid(format!(
                "{}: the file has no column '{column}'",
                field.label()
            )));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for (field, column) in &mapping.columns {
        if seen.contains(&column.as_str()) {
            return Err(MappingError::Invalid(format!(
                "{}: column '{column}' is already chosen for another field",
                field.label()
            )));
        }
        seen.push(column);
    }
    Ok(())
}

/// Saves a mapping under a name for files with this header (replacing one of the same name).
pub fn save(
    store: &mut Store,
    name: &str,
    signature: &str,
    mapping: &ColumnMapping,
    clock: &Clock,
) -> Result<(), MappingError> {
    let json = serde_json::to_string(mapping)
        .map_err(|error| MappingError::Invalid(format!("cannot save the mapping: {error}")))?;
    let now = clock.now_text();
    store.in_transaction_with(|tx| {
        save_mapping(tx, name.trim(), signature, &json, &now)?;
        Ok::<_, MappingError>(())
    })
}

/// The header and first rows of a file (for choosing its columns).
pub fn peek_file(path: &Path, rows: usize) -> Result<FilePeek, String> {
    let file =
        File::open(path).map_err(|error| format!("cannot open {}: {error}", path.display()))?;
    csv_import::peek(BufReader::new(file), rows).map_err(|error| {
        format!(
            "{}: {error}",
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        )
    })
}

/// A first guess of the columns: a column whose name is the field's (or a common synonym).
pub fn guess(columns: &[String]) -> ColumnMapping {
    let folded: Vec<String> = columns
        .iter()
        .map(|name| {
            name.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    let mut mapping = ColumnMapping::default();
    for field in MappedField::ALL {
        let words: &[&str] = match field {
            MappedField::OrderNumber => &["ordernumber", "orderno", "order", "orderid", "ordernr"],
            MappedField::OrderedAt => &["orderdate", "date", "createdat", "orderedat", "saledate"],
            MappedField::CustomerName => &["customer", "customername", "buyer", "name"],
            MappedField::CustomerEmail => &["email", "customeremail", "emailaddress"],
            MappedField::Sku => &["sku", "itemsku", "productsku", "articlenumber"],
            MappedField::ItemName => &["item", "itemname", "product", "productname", "title"],
            MappedField::Quantity => &["quantity", "qty", "amount"],
            MappedField::UnitPrice => &["price", "unitprice", "itemprice"],
            MappedField::Status => &["status", "orderstatus"],
            MappedField::ShipName => &["shipname", "shiptoname", "shippingname", "recipient"],
            MappedField::ShipCompany => &["shipcompany", "shippingcompany", "company"],
            MappedField::ShipAddress1 => &[
                "shipaddress1",
                "shippingaddress1",
                "address1",
                "address",
                "street",
            ],
            MappedField::ShipAddress2 => &["shipaddress2", "shippingaddress2", "address2"],
            MappedField::ShipCity => &["shipcity", "shippingcity", "city", "town"],
            MappedField::ShipPostalCode => &[
                "shippostalcode",
                "shipzip",
                "shippingzip",
                "postalcode",
                "postcode",
                "zip",
                "zipcode",
            ],
            MappedField::ShipRegion => &[
                "shipregion",
                "shipstate",
                "shippingstate",
                "region",
                "province",
                "county",
            ],
            MappedField::ShipCountry => &["shipcountry", "shippingcountry", "country"],
            MappedField::ShipPhone => &["shipphone", "shippingphone", "phone", "telephone"],
        };
        let taken: Vec<String> = mapping
            .columns
            .iter()
            .map(|(_, column)| column.clone())
            .collect();
        if let Some(at) = words.iter().find_map(|word| {
            folded
                .iter()
                .position(|name| name == word)
                .filter(|&at| !taken.contains(&columns[at]))
        }) {
            mapping.set(field, Some(columns[at].clone()));
        }
    }
    mapping
}
