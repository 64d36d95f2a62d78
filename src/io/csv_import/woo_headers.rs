//! The column names of WooCommerce's product exporter, folded (see `record::fold_name`): in
//! English, and as the exporter writes them when the `WordPress` admin is in German, French,
//! Spanish, Italian, Dutch, Portuguese (Brazil and Portugal), Polish or Russian.
//!
//! The exporter names its columns with WooCommerce's own translations
//! (`WC_Product_CSV_Exporter::get_default_column_names`: `__( 'SKU', 'woocommerce' )`, …, and
//! `sprintf( __( 'Attribute %d value(s)', 'woocommerce' ), $i )`). The names here are the
//! `msgstr`s of those `msgid`s (entries without `msgctxt`) in WooCommerce's language packs from
//! translate.wordpress.org, project "Plugins - WooCommerce - Stable (latest release)", as
//! `WordPress` installs them under `wp-content/languages/plugins/woocommerce-<locale>.po`:
//! - `de_DE`, `fr_FR`, `es_ES`, `it_IT`, `nl_NL`, `pt_BR`, `pt_PT`, `ru_RU` (PO-Revision-Date
//!   2023-04-13) and `pl_PL` (2023-03-31), WooCommerce 7.6: the copies committed in the public
//!   repository Laos22/show.net, commit e8f85e6c83ab04520ef14ed4780241f42507b8c9 — the table
//!   `tests/fixtures/real/woocommerce/header_translations.tsv` (its README lists each file's git
//!   blob) holds them all; [`TRANSLATED_HEADERS`] keeps the ones read here as written;
//! - `de_DE` of 2025-07-26 (the same names, and the newer "GTIN, UPC, EAN oder ISBN"): the copy in
//!   the public repository mxstmx/gyt-2025, commit 875ff762f353e9ebbfa24a1aadfb0fb8336e1baa.
//!
//! The tests check that every name of the table folds to an alias of its column here.

pub(crate) const ID: &[&str] = &["id"];
pub(crate) const TYPE: &[&str] = &["type", "typ", "tipo", "тип"];
pub(crate) const SKU: &[&str] = &["sku", "artikelnummer", "ugs", "cod", "артикул", "ref"];
pub(crate) const NAME: &[&str] = &["name", "nom", "nombre", "nome", "naam", "nazwa", "имя"];
pub(crate) const DESCRIPTION: &[&str] = &[
    "description",
    "beschreibung",
    "descripción",
    "descrizione",
    "beschrijving",
    "descrição",
    "opis",
    "описание",
];
pub(crate) const IN_STOCK: &[&str] = &[
    "instock?",
    "vorrätig?",
    "enstock?",
    "¿existencias?",
    "opvoorraad?",
    "emestoque?",
    "wmagazynie?",
    "вналичии?",
    "emstock?",
];
pub(crate) const STOCK: &[&str] = &[
    "stock",
    "lager",
    "inventario",
    "magazzino",
    "voorraad",
    "estoque",
    "stanmagazynowy",
    "запасы",
];
pub(crate) const BACKORDERS: &[&str] = &[
    "backordersallowed?",
    "lieferrückstandeerlaubt?",
    "autoriserlescommandesdeproduitsenrupture?",
    "¿permitirreservasdeproductosagotados?",
    "abilitagliordiniarretrati?",
    "nabestellingentoestaan?",
    "sãopermitidasencomendas?",
    "pozwalaćnazamówieniaoczekujące(nadostawędomagazynu)?",
    "возможенлипредзаказ?",
    "permitirencomendaspendentes?",
    // An older Russian translation, seen in real exports (tests/fixtures/real/README.md).
    "задержанныйзаказвозможен?",
];
pub(crate) const REGULAR_PRICE: &[&str] = &[
    "regularprice",
    "regulärerpreis",
    "tarifrégulier",
    "precionormal",
    "prezzodilistino",
    "reguliereprijs",
    "preço",
    "cena",
    "базоваяцена",
    "preçonormal",
];
pub(crate) const SALE_PRICE: &[&str] = &[
    "saleprice",
    "angebotspreis",
    "tarifpromo",
    "preciorebajado",
    "prezzoinofferta",
    "actieprijs",
    "preçopromocional",
    "cenapromocyjna",
    "акционнаяцена",
];
pub(crate) const CATEGORIES: &[&str] = &[
    "categories",
    "kategorien",
    "catégories",
    "categorías",
    "categorie",
    "categorieën",
    "categorias",
    "kategorie",
    "категории",
];
pub(crate) const PARENT: &[&str] = &[
    "parent",
    "übergeordnetesprodukt",
    "superior",
    "genitore",
    "hoofd",
    "ascendente",
    "elementnadrzędny",
    "родительский",
    "pai",
];
pub(crate) const GTIN: &[&str] = &["gtin,upc,ean,orisbn", "gtin,upc,eanoderisbn"];
pub(crate) const ATTRIBUTE_1_VALUES: &[&str] = &[
    "attribute1value(s)",
    "attribut1wert(e)",
    "valeur(s)del’attribut1",
    "valor(es)delatributo1",
    "attributo1valuta(e)",
    "waardeeigenschap1",
    "valoresdoatributo1",
    "wartościatrybutu1",
    "значенияатрибутов1",
    "atributo1valor(es)",
];
pub(crate) const ATTRIBUTE_2_VALUES: &[&str] = &[
    "attribute2value(s)",
    "attribut2wert(e)",
    "valeur(s)del’attribut2",
    "valor(es)delatributo2",
    "attributo2valuta(e)",
    "waardeeigenschap2",
    "valoresdoatributo2",
    "wartościatrybutu2",
    "значенияатрибутов2",
    "atributo2valor(es)",
];
pub(crate) const ATTRIBUTE_3_VALUES: &[&str] = &[
    "attribute3value(s)",
    "attribut3wert(e)",
    "valeur(s)del’attribut3",
    "valor(es)delatributo3",
    "attributo3valuta(e)",
    "waardeeigenschap3",
    "valoresdoatributo3",
    "wartościatrybutu3",
    "значенияатрибутов3",
    "atributo3valor(es)",
];

/// The exporter's column names as written, per language (English first; `pt` is Brazilian
/// Portuguese): `ID`, `Type`, `SKU`, `Name`, `Description`, `In stock?`, `Stock`,
/// `Backorders allowed?`, `Regular price`, `Sale price`, `Categories`, `Parent`,
/// `Attribute %d value(s)`.
pub const TRANSLATED_HEADERS: [(&str, [&str; 13]); 10] = [
    (
        "en",
        [
            "ID",
            "Type",
            "SKU",
            "Name",
            "Description",
            "In stock?",
            "Stock",
            "Backorders allowed?",
            "Regular price",
            "Sale price",
            "Categories",
            "Parent",
            "Attribute %d value(s)",
        ],
    ),
    (
        "de",
        [
            "ID",
            "Typ",
            "Artikelnummer",
            "Name",
            "Beschreibung",
            "Vorrätig?",
            "Lager",
            "Lieferrückstande erlaubt?",
            "Regulärer Preis",
            "Angebotspreis",
            "Kategorien",
            "Übergeordnetes Produkt",
            "Attribut %d Wert(e)",
        ],
    ),
    (
        "fr",
        [
            "ID",
            "Type",
            "UGS",
            "Nom",
            "Description",
            "En stock ?",
            "Stock",
            "Autoriser les commandes de produits en rupture ?",
            "Tarif régulier",
            "Tarif promo",
            "Catégories",
            "Parent",
            "Valeur(s) de l’attribut %d ",
        ],
    ),
    (
        "es",
        [
            "ID",
            "Tipo",
            "SKU",
            "Nombre",
            "Descripción",
            "¿Existencias?",
            "Inventario",
            "¿Permitir reservas de productos agotados?",
            "Precio normal",
            "Precio rebajado",
            "Categorías",
            "Superior",
            "Valor(es) del atributo %d",
        ],
    ),
    (
        "it",
        [
            "ID",
            "Tipo",
            "COD",
            "Nome",
            "Descrizione",
            "In stock?",
            "Magazzino",
            "Abilita gli ordini arretrati?",
            "Prezzo di listino",
            "Prezzo in offerta",
            "Categorie",
            "Genitore",
            "Attributo %d valuta(e)",
        ],
    ),
    (
        "nl",
        [
            "ID",
            "Type",
            "Artikelnummer",
            "Naam",
            "Beschrijving",
            "Op voorraad?",
            "Voorraad",
            "Nabestellingen toestaan?",
            "Reguliere prijs",
            "Actieprijs",
            "Categorieën",
            "Hoofd",
            "Waarde eigenschap %d",
        ],
    ),
    (
        "pt_BR",
        [
            "ID",
            "Tipo",
            "SKU",
            "Nome",
            "Descrição",
            "Em estoque?",
            "Estoque",
            "São permitidas encomendas?",
            "Preço",
            "Preço promocional",
            "Categorias",
            "Ascendente",
            "Valores do atributo %d",
        ],
    ),
    (
        "pl",
        [
            "ID",
            "Typ",
            "SKU",
            "Nazwa",
            "Opis",
            "W magazynie?",
            "Stan magazynowy",
            "Pozwalać na zamówienia oczekujące (na dostawę do magazynu)?",
            "Cena",
            "Cena promocyjna",
            "Kategorie",
            "Element nadrzędny",
            "Wartości atrybutu %d",
        ],
    ),
    (
        "ru",
        [
            "ID",
            "Тип",
            "Артикул",
            "Имя",
            "Описание",
            "В наличии?",
            "Запасы",
            "Возможен ли предзаказ?",
            "Базовая цена",
            "Акционная цена",
            "Категории",
            "Родительский",
            "Значения атрибутов %d",
        ],
    ),
    (
        "pt_PT",
        [
            "ID",
            "Tipo",
            "REF",
            "Nome",
            "Descrição",
            "Em stock?",
            "Stock",
            "Permitir encomendas pendentes?",
            "Preço normal",
            "Preço promocional",
            "Categorias",
            "Pai",
            "Atributo %d valor(es)",
        ],
    ),
];
