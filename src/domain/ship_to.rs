//! Where an order's parcel goes: the ship-to address kept on the order, as storefront exports
//! give it, the New order dialog takes it and the packing slip prints it.

use serde::{Deserialize, Serialize};

/// A ship-to address. Every field may be empty; an address with no field set is "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShipTo {
    pub name: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub postal_code: String,
    /// State, province or county.
    pub region: String,
    pub country: String,
    pub phone: String,
}

/// The fields of an address with their labels, in the order they are stored, typed and
/// written (`ship_name`, `ship_company`, … in the own orders file).
pub const FIELDS: [(&str, &str); 9] = [
    ("ship_name", "Name"),
    ("ship_company", "Company"),
    ("ship_address1", "Address line 1"),
    ("ship_address2", "Address line 2"),
    ("ship_city", "City"),
    ("ship_postal_code", "Postal code"),
    ("ship_region", "Region"),
    ("ship_country", "Country"),
    ("ship_phone", "Phone"),
];

impl ShipTo {
    /// The fields in the order of [`FIELDS`].
    pub fn values(&self) -> [&str; 9] {
        [
            &self.name,
            &self.company,
            &self.address1,
            &self.address2,
            &self.city,
            &self.postal_code,
            &self.region,
            &self.country,
            &self.phone,
        ]
    }

    /// Mutable fields in the order of [`FIELDS`] (for forms).
    pub fn values_mut(&mut self) -> [&mut String; 9] {
        [
            &mut self.name,
            &mut self.company,
            &mut self.address1,
            &mut self.address2,
            &mut self.city,
            &mut self.postal_code,
            &mut self.region,
            &mut self.country,
            &mut self.phone,
        ]
    }

    /// An address from the values in the order of [`FIELDS`].
    pub fn from_values(values: [String; 9]) -> Self {
        let [
            name,
            company,
            address1,
            address2,
            city,
            postal_code,
            region,
            country,
            phone,
        ] = values;
        Self {
            name,
            company,
            address1,
            address2,
            city,
            postal_code,
            region,
            country,
            phone,
        }
    }

    /// No field is set.
    pub fn is_empty(&self) -> bool {
        self.values().iter().all(|value| value.trim().is_empty())
    }

    /// Every field trimmed, runs of whitespace (line breaks and tabs included) made one space,
    /// and a leading `'` that spreadsheets and Shopify put before numbers (`'75008`) removed.
    #[must_use]
    pub fn cleaned(&self) -> Self {
        let mut out = self.clone();
        for value in out.values_mut() {
            *value = clean_field(value);
        }
        out
    }

    /// The address as printed on a label, one line per part, empty parts left out:
    /// name, company, address lines, the town line as the country writes it, country, phone.
    ///
    /// The town line: "City, REGION POSTAL" for the United States, Canada and Australia;
    /// "City" then "POSTAL" on its own line for the United Kingdom and Ireland; elsewhere
    /// "POSTAL City" with the region on the next line.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for value in [&self.name, &self.company, &self.address1, &self.address2] {
            if !value.trim().is_empty() {
                lines.push(value.trim().to_owned());
            }
        }
        let (city, postal, region) = (
            self.city.trim(),
            self.postal_code.trim(),
            self.region.trim(),
        );
        let joined = |parts: &[&str], separator: &str| {
            parts
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(separator)
        };
        match town_style(&self.country) {
            TownStyle::CityRegionPostal => {
                let tail = joined(&[region, postal], " ");
                lines.push(joined(&[city, &tail], ", "));
            }
            TownStyle::PostalOwnLine => {
                lines.push(city.to_owned());
                lines.push(region.to_owned());
                lines.push(postal.to_owned());
            }
            TownStyle::PostalCity => {
                lines.push(joined(&[postal, city], " "));
                lines.push(region.to_owned());
            }
        }
        lines.retain(|line| !line.is_empty());
        if !self.country.trim().is_empty() {
            lines.push(self.country.trim().to_owned());
        }
        if !self.phone.trim().is_empty() {
            lines.push(format!("Phone {}", self.phone.trim()));
        }
        lines
    }

    /// The address on one line, parts separated by ", " (for lists and pick lists).
    pub fn one_line(&self) -> String {
        self.lines().join(", ")
    }

    /// The fields that differ from `other`, by label (for "what changed" lists).
    pub fn changed_fields(&self, other: &Self) -> Vec<&'static str> {
        FIELDS
            .iter()
            .zip(self.values().into_iter().zip(other.values()))
            .filter(|(_, (a, b))| a.trim() != b.trim())
            .map(|((_, label), _)| *label)
            .collect()
    }
}

/// How a country writes the town line of an address.
enum TownStyle {
    /// `Springfield, IL 62701`
    CityRegionPostal,
    /// `London` / `SW1A 1AA`
    PostalOwnLine,
    /// `75008 Paris`
    PostalCity,
}

fn town_style(country: &str) -> TownStyle {
    let country = country.trim().to_lowercase();
    match country.as_str() {
        "us"
        | "usa"
        | "united states"
        | "united states of america"
        | "ca"
        | "canada"
        | "au"
        | "australia" => TownStyle::CityRegionPostal,
        "gb" | "uk" | "united kingdom" | "great britain" | "ie" | "ireland" => {
            TownStyle::PostalOwnLine
        }
        _ => TownStyle::PostalCity,
    }
}

/// One field cleaned as [`ShipTo::cleaned`] does.
pub fn clean_field(value: &str) -> String {
    let joined = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.strip_prefix('\'') {
        Some(rest) => rest.trim_start().to_owned(),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> ShipTo {
        ShipTo {
            name: "Léa Martin".into(),
            company: "Atelier Lumière".into(),
            address1: "13 rue de Berri".into(),
            address2: String::new(),
            city: "Paris".into(),
            postal_code: "'75008".into(),
            region: String::new(),
            country: "FR".into(),
            phone: "+33 1 23 45 67 89".into(),
        }
    }

    #[test]
    fn cleaning_takes_the_spreadsheet_quote_and_stray_whitespace_off() {
        let mut address = paris();
        address.address1 = "  13 rue\nde   Berri ".into();
        let clean = address.cleaned();
        assert_eq!(clean.postal_code, "75008");
        assert_eq!(clean.address1, "13 rue de Berri");
        assert_eq!(clean.name, "Léa Martin");
    }

    #[test]
    fn label_lines_leave_empty_parts_out() {
        assert_eq!(
            paris().cleaned().lines(),
            [
                "Léa Martin",
                "Atelier Lumière",
                "13 rue de Berri",
                "75008 Paris",
                "FR",
                "Phone +33 1 23 45 67 89"
            ]
        );
        assert!(ShipTo::default().lines().is_empty());
        assert!(ShipTo::default().is_empty());
        assert!(!paris().is_empty());
        assert_eq!(
            ShipTo {
                city: "Oslo".into(),
                ..ShipTo::default()
            }
            .one_line(),
            "Oslo"
        );
    }

    #[test]
    fn the_town_line_is_written_as_the_country_writes_it() {
        let address = |city: &str, postal: &str, region: &str, country: &str| ShipTo {
            name: "Ann Lee".into(),
            address1: "1 Elm Street".into(),
            city: city.into(),
            postal_code: postal.into(),
            region: region.into(),
            country: country.into(),
            ..ShipTo::default()
        };
        assert_eq!(
            address("Springfield", "62701", "IL", "US").one_line(),
            "Ann Lee, 1 Elm Street, Springfield, IL 62701, US"
        );
        assert_eq!(
            address("Ottawa", "K1A 0B1", "ON", "Canada").lines()[2],
            "Ottawa, ON K1A 0B1"
        );
        assert_eq!(
            address("London", "SW1A 1AA", "", "GB").lines(),
            ["Ann Lee", "1 Elm Street", "London", "SW1A 1AA", "GB"]
        );
        assert_eq!(
            address("München", "80331", "Bayern", "DE").lines(),
            ["Ann Lee", "1 Elm Street", "80331 München", "Bayern", "DE"]
        );
        assert_eq!(
            address("", "62701", "IL", "us").lines()[2],
            "IL 62701",
            "no city: region and postal code still on one line"
        );
    }

    #[test]
    fn changed_fields_are_named() {
        let before = paris();
        let mut after = paris();
        after.address2 = "Bâtiment B".into();
        after.phone = " +33 1 23 45 67 89 ".into();
        assert_eq!(after.changed_fields(&before), ["Address line 2"]);
        let values = paris().values().map(str::to_owned);
        assert_eq!(ShipTo::from_values(values), paris());
    }
}
