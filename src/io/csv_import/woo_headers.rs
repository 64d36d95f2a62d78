//! The column names of WooCommerce's product exporter, folded (see `record::fold_name`): in
//! English, and as the exporter writes them when the WordPress admin is in German, French,
//! Spanish, Italian, Dutch, Portuguese (Portugal), Polish or Russian.
//!
//! The exporter names its columns with WooCommerce's own translations
//! (`WC_Product_CSV_Exporter::get_default_column_names`, `__( 'SKU', 'woocommerce' )`, …, and
//! `sprintf( __( 'Attribute %d value(s)', 'woocommerce' ), $i )`). The names below are the
//! `msgstr` of those `msgid`s in WooCommerce's translation files from translate.wordpress.org
//! ("Plugins - WooCommerce - Stable (latest release)"), as WordPress installs them under
//! `wp-content/languages/plugins/woocommerce-<locale>.po`:
//! - de_DE, fr_FR, es_ES, it_IT, nl_NL, pt_PT, ru_RU (PO-Revision-Date 2023-04-13) and pl_PL
//!   (2023-03-31): the copies committed in github.com/Laos22/show.net, commit e8f85e6c;
//! - de_DE of 2025-07-26 (the same names, and the newer "GTIN, UPC, EAN oder ISBN"): the copy in
//!   github.com/mxstmx/gyt-2025, commit 875ff762.
//! [`TRANSLATED_HEADERS`] keeps the names as written; the tests check that each folds to an
//! alias here.

pub(crate) const ID: &[&str] = &["id"];
pub(crate) const TYPE: &[&str] = &["type", "typ", "tipo", "тип"];
pub(crate) const SKU: &[&str] = &["sku", "artikelnummer", "ugs", "cod", "ref", "артикул"];
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
    "emstock?",
    "wmagazynie?",
    "вналичии?",
];
pub(crate) const STOCK: &[&str] = &[
    "stock",
    "lager",
    "inventario",
    "magazzino",
    "voorraad",
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
    "permitirencomendaspendentes?",
    "pozwalaćnazamówieniaoczekujące(nadostawędomagazynu)?",
    "возможенлипредзаказ?",
];
pub(crate) const REGULAR_PRICE: &[&str] = &[
    "regularprice",
    "regulärerpreis",
    "tarifrégulier",
    "precionormal",
    "prezzodilistino",
    "reguliereprijs",
    "preçonormal",
    "cena",
    "базоваяцена",
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
    "pai",
    "elementnadrzędny",
    "родительский",
];
pub(crate) const GTIN: &[&str] = &["gtin,upc,ean,orisbn", "gtin,upc,eanoderisbn"];
pub(crate) const ATTRIBUTE_1_VALUES: &[&str] = &[
    "attribute1value(s)",
    "attribut1wert(e)",
    "valeur(s)del’attribut1",
    "valor(es)delatributo1",
    "attributo1valuta(e)",
    "waardeeigenschap1",
    "atributo1valor(es)",
    "wartościatrybutu1",
    "значенияатрибутов1",
];
pub(crate) const ATTRIBUTE_2_VALUES: &[&str] = &[
    "attribute2value(s)",
    "attribut2wert(e)",
    "valeur(s)del’attribut2",
    "valor(es)delatributo2",
    "attributo2valuta(e)",
    "waardeeigenschap2",
    "atributo2valor(es)",
    "wartościatrybutu2",
    "значенияатрибутов2",
];
pub(crate) const ATTRIBUTE_3_VALUES: &[&str] = &[
    "attribute3value(s)",
    "attribut3wert(e)",
    "valeur(s)del’attribut3",
    "valor(es)delatributo3",
    "attributo3valuta(e)",
    "waardeeigenschap3",
    "atributo3valor(es)",
    "wartościatrybutu3",
    "значенияатрибутов3",
];

/// The exporter's column names as written, per language (English first): `ID`, `Type`, `SKU`,
/// `Name`, `Description`, `In stock?`, `Stock`, `Backorders allowed?`, `Regular price`,
/// `Sale price`, `Categories`, `Parent`, `Attribute %d value(s)`.
pub const TRANSLATED_HEADERS: [(&str, [&str; 13]); 9] = [
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
            "Valeur(s) de l’attribut %d",
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
        "pt",
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
];
