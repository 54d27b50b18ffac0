//! Reading a `.prj`: a WKT reader (OGC WKT1, ESRI WKT and WKT2 alike: `KEYWORD[arg, …]` or
//! `KEYWORD(arg, …)` trees, quoted names with doubled quotes, a nesting limit) and
//! [`identify_prj`], which names the CRS a tree describes among
//! [`CHOICES`](crate::crs::crs_guess::CHOICES) by authority code, projection parameters with
//! the datum, or name. `crate::crs::crs_guess` re-exports [`identify_prj`]; the rest is private
//! to the CRS folder.

use super::crs_guess::{DEFS, Datum, Kind, geographic_code, is_choice};

/// One argument of a WKT node.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Node(Node),
    Str(String),
    Num(f64),
    Word(String),
}

/// A WKT node: `KEYWORD[arg, arg, …]`.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    key: String,
    args: Vec<Arg>,
}

impl Node {
    fn key_is(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| self.key.eq_ignore_ascii_case(k))
    }

    /// The node's name: its first quoted argument.
    fn name(&self) -> Option<&str> {
        self.args.iter().find_map(|a| match a {
            Arg::Str(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// Direct child nodes.
    fn children(&self) -> impl Iterator<Item = &Node> {
        self.args.iter().filter_map(|a| match a {
            Arg::Node(n) => Some(n),
            _ => None,
        })
    }

    /// The first node (depth first, self included) with one of `keys`.
    fn find(&self, keys: &[&str]) -> Option<&Node> {
        if self.key_is(keys) {
            return Some(self);
        }
        self.children().find_map(|c| c.find(keys))
    }

    /// All nodes (depth first, self included) with one of `keys`.
    fn find_all<'a>(&'a self, keys: &[&str], out: &mut Vec<&'a Node>) {
        if self.key_is(keys) {
            out.push(self);
        }
        for c in self.children() {
            c.find_all(keys, out);
        }
    }

    /// The numeric arguments, in order.
    fn numbers(&self) -> impl Iterator<Item = f64> + '_ {
        self.args.iter().filter_map(|a| match a {
            Arg::Num(v) => Some(*v),
            Arg::Str(s) => s.trim().parse().ok(),
            _ => None,
        })
    }
}

/// A recursive-descent reader over the WKT's bytes.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

/// Deepest nesting read: deeper text is refused rather than overflowing the stack.
const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    fn node(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        let key = self.word();
        if key.is_empty() {
            return None;
        }
        self.ws();
        let close = match self.peek()? {
            b'[' => b']',
            b'(' => b')',
            _ => return None,
        };
        self.i += 1;
        let mut args = Vec::new();
        loop {
            self.ws();
            match self.peek()? {
                c if c == close => {
                    self.i += 1;
                    break;
                }
                b',' => {
                    self.i += 1;
                }
                b'"' => args.push(Arg::Str(self.string()?)),
                c if c == b'-' || c == b'+' || c == b'.' || c.is_ascii_digit() => {
                    args.push(Arg::Num(self.number()?));
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let save = self.i;
                    let w = self.word();
                    self.ws();
                    if matches!(self.peek(), Some(b'[' | b'(')) {
                        self.i = save;
                        args.push(Arg::Node(self.node(depth + 1)?));
                    } else {
                        args.push(Arg::Word(w));
                    }
                }
                _ => return None,
            }
        }
        Some(Node { key, args })
    }

    fn string(&mut self) -> Option<String> {
        self.i += 1; // opening quote
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            if c == b'"' {
                if self.peek() == Some(b'"') {
                    out.push(b'"');
                    self.i += 1;
                } else {
                    break;
                }
            } else {
                out.push(c);
            }
        }
        Some(String::from_utf8_lossy(&out).into_owned())
    }

    fn number(&mut self) -> Option<f64> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
}

/// The node tree of a WKT text; `None` when it is malformed or nested deeper than [`MAX_DEPTH`].
fn parse_wkt(wkt: &str) -> Option<Node> {
    Parser {
        s: wkt.as_bytes(),
        i: 0,
    }
    .node(0)
}

// ---------------------------------------------------------------------------------------------
// Identifying the CRS a tree describes
// ---------------------------------------------------------------------------------------------

/// Lower case, every run of non-alphanumeric characters replaced by one `_`.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

/// The datum a (normalised) name speaks of.
fn datum_from_name(n: &str) -> Option<Datum> {
    if n.contains("new_beijing") || n.contains("新北京") {
        return None;
    }
    if n.contains("cgcs")
        || n.contains("china_2000")
        || n.contains("china_geodetic")
        || n.contains("国家2000")
        || n.contains("2000")
    {
        Some(Datum::Cgcs2000)
    } else if n.contains("xian")
        || n.contains("xi_an")
        || n.contains("西安")
        || (n.contains("1980") && !n.contains("grs"))
    {
        Some(Datum::Xian1980)
    } else if n.contains("beijing") || n.contains("北京") || n.contains("1954") {
        Some(Datum::Beijing1954)
    } else if (n.contains("wgs") && n.contains("84")) || n.contains("world_geodetic_system_1984") {
        Some(Datum::Wgs84)
    } else {
        None
    }
}

/// The datum implied by an ellipsoid's semi-major axis and inverse flattening.
fn datum_from_ellipsoid(a: f64, inv_f: f64) -> Option<Datum> {
    if (a - 6_378_137.0).abs() < 0.5 {
        if (inv_f - 298.257_222_101).abs() < 1e-7 {
            Some(Datum::Cgcs2000)
        } else if (inv_f - 298.257_223_563).abs() < 1e-7 {
            Some(Datum::Wgs84)
        } else {
            None
        }
    } else if (a - 6_378_140.0).abs() < 0.5 && (inv_f - 298.257).abs() < 1e-3 {
        Some(Datum::Xian1980)
    } else if (a - 6_378_245.0).abs() < 0.5 && (inv_f - 298.3).abs() < 1e-3 {
        Some(Datum::Beijing1954)
    } else {
        None
    }
}

/// The datum of a CRS node: datum name, else ellipsoid parameters, else the geographic CRS's
/// name, else the CRS's own name.
fn datum_of(root: &Node) -> Option<Datum> {
    let from_datum = root
        .find(&["DATUM", "GEODETICDATUM", "TRF"])
        .and_then(Node::name)
        .and_then(|n| datum_from_name(&norm(n)));
    from_datum
        .or_else(|| {
            let e = root.find(&["SPHEROID", "ELLIPSOID"])?;
            let mut nums = e.numbers();
            datum_from_ellipsoid(nums.next()?, nums.next()?)
        })
        .or_else(|| {
            root.find(&["GEOGCS", "GEOGCRS", "BASEGEOGCRS", "BASEGEODCRS"])
                .and_then(Node::name)
                .and_then(|n| datum_from_name(&norm(n)))
        })
        .or_else(|| root.name().and_then(|n| datum_from_name(&norm(n))))
}

/// The EPSG code in the node's own AUTHORITY / ID, if it is EPSG.
fn authority_code(node: &Node) -> Option<u32> {
    node.children()
        .filter(|c| c.key_is(&["AUTHORITY", "ID"]))
        .find_map(|c| {
            let mut it = c.args.iter();
            let auth = match it.next()? {
                Arg::Str(s) | Arg::Word(s) => s,
                _ => return None,
            };
            if !auth.eq_ignore_ascii_case("EPSG") {
                return None;
            }
            match it.next()? {
                Arg::Str(s) => s.trim().parse().ok(),
                Arg::Num(v) if *v >= 0.0 && v.fract() == 0.0 && *v < u32::MAX as f64 => {
                    Some(*v as u32)
                }
                _ => None,
            }
        })
}

/// What a projected CRS name says: datum, 3° or 6°, central meridian, false easting.
#[derive(Debug, Clone, Copy, PartialEq)]
struct NameSpec {
    datum: Option<Datum>,
    six: bool,
    cm: f64,
    fe: f64,
}

/// Read a Gauss-Krüger CRS name such as "CGCS2000_3_Degree_GK_Zone_41",
/// "Xian 1980 / 3-degree Gauss-Kruger CM 123E", "Beijing_1954_GK_Zone_21N" (6°, no prefix).
fn name_spec(name: &str) -> Option<NameSpec> {
    let n = norm(name);
    let tokens: Vec<&str> = n.split('_').collect();
    let three = n.contains("3_degree")
        || n.contains("3_deg")
        || n.contains("3度")
        || tokens.contains(&"3deg");
    let mut zone: Option<(u32, bool)> = None;
    let mut cm: Option<u32> = None;
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).copied().unwrap_or("");
        if *t == "zone" {
            zone = zone.or_else(|| parse_zone_token(next));
        } else if *t == "cm" {
            cm = cm.or_else(|| next.trim_end_matches('e').parse().ok());
        } else if t.len() > 1 && t.ends_with('n') && zone.is_none() {
            // "Gauss-Kruger 21N": 6° zone without prefix (old EPSG / ESRI naming).
            zone = parse_zone_token(t).filter(|(_, north)| *north);
        }
    }
    let datum = datum_from_name(&n);
    let (six, cm, fe) = match (three, zone, cm) {
        (true, Some((z, _)), _) => (false, 3.0 * z as f64, z as f64 * 1e6 + 500_000.0),
        (true, None, Some(c)) => (false, c as f64, 500_000.0),
        (false, Some((z, false)), _) => (true, 6.0 * z as f64 - 3.0, z as f64 * 1e6 + 500_000.0),
        (false, Some((z, true)), _) => (true, 6.0 * z as f64 - 3.0, 500_000.0),
        (false, None, Some(c)) => (true, c as f64, 500_000.0),
        _ => return None,
    };
    Some(NameSpec { datum, six, cm, fe })
}

/// "41" → (41, false); "21n" → (21, true).
fn parse_zone_token(t: &str) -> Option<(u32, bool)> {
    let (digits, north) = match t.strip_suffix('n') {
        Some(d) => (d, true),
        None => (t, false),
    };
    let z: u32 = digits.parse().ok()?;
    (1..=60).contains(&z).then_some((z, north))
}

/// Transverse-Mercator parameters of a projected CRS node, if it is a Gauss-Krüger projection
/// (scale 1, false northing 0, latitude of origin 0) in metres: (central meridian, false easting).
fn gk_params(root: &Node) -> Option<(f64, f64)> {
    let method = root
        .find(&["PROJECTION", "METHOD"])
        .and_then(Node::name)
        .map(norm)?;
    if !(method.contains("gauss") || method.contains("transverse_mercator")) {
        return None;
    }
    // WKT1: the projected CRS's own UNIT must be metres.
    if let Some(unit) = root.children().find(|c| c.key_is(&["UNIT"]))
        && unit
            .numbers()
            .next()
            .is_some_and(|f| (f - 1.0).abs() > 1e-9)
    {
        return None;
    }
    let mut params = Vec::new();
    root.find_all(&["PARAMETER"], &mut params);
    let mut cm = None;
    let mut fe = None;
    for p in params {
        let (Some(name), Some(value)) = (p.name(), p.numbers().next()) else {
            continue;
        };
        let name = norm(name);
        let ok = match name.as_str() {
            "central_meridian" | "longitude_of_natural_origin" | "longitude_of_origin" => {
                cm = Some(value);
                true
            }
            "false_easting" => {
                fe = Some(value);
                true
            }
            "false_northing" => value.abs() < 1e-6,
            "scale_factor" | "scale_factor_at_natural_origin" => (value - 1.0).abs() < 1e-9,
            "latitude_of_origin" | "latitude_of_natural_origin" => value.abs() < 1e-9,
            _ => true,
        };
        if !ok {
            return None;
        }
    }
    Some((cm?, fe?))
}

/// The EPSG code among [`DEFS`] for a datum and Gauss-Krüger parameters; `six` breaks the tie
/// between 3° and 6° definitions with the same parameters (CM 123E without prefix).
fn lookup_gk(datum: Datum, cm: f64, fe: f64, six: Option<bool>) -> Option<u32> {
    let matches: Vec<(u32, bool)> = DEFS
        .iter()
        .filter_map(|(epsg, d, kind)| match kind {
            Kind::Gk {
                cm: c,
                fe: f,
                six: s,
            } if *d == datum && (c - cm).abs() < 1e-6 && (f - fe).abs() < 1e-3 => Some((*epsg, *s)),
            _ => None,
        })
        .collect();
    let want_six = six.unwrap_or(false);
    matches
        .iter()
        .find(|(_, s)| *s == want_six)
        .or(matches.first())
        .map(|(e, _)| *e)
}

/// Identify a .prj (ESRI WKT or OGC WKT) by its CRS name and parameters: returns the EPSG code
/// when it matches one of [`CHOICES`](crate::crs::crs_guess::CHOICES) (names like
/// "CGCS2000_3_Degree_GK_Zone_41", "CGCS2000 / 3-degree Gauss-Kruger zone 41",
/// "Xian_1980_3_Degree_GK_CM_123E", "GCS_China_Geodetic_Coordinate_System_2000",
/// "WGS_1984_Web_Mercator_Auxiliary_Sphere", or a generic "Gauss_Kruger" whose
/// Central_Meridian / False_Easting and datum match), else None.
///
/// Order: an EPSG authority code on the CRS itself; then the projection parameters with the
/// datum (parameters are what software uses, so they win over a misleading name); then the
/// name alone. A bare "EPSG:4529" is accepted too.
pub fn identify_prj(wkt: &str) -> Option<u32> {
    let t = wkt.trim().trim_start_matches('\u{feff}').trim();
    if let Some(code) = t
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("epsg:"))
        .and_then(|_| t[5..].trim().parse::<u32>().ok())
    {
        return is_choice(code).then_some(code);
    }
    let all = norm(t);
    if all.contains("new_beijing") || all.contains("新北京") {
        // New Beijing uses the Krasovsky ellipsoid like Beijing 1954 but is another datum.
        return None;
    }
    let mut root = parse_wkt(t)?;
    // Compound / bound CRSs: look at the horizontal (first) or source CRS.
    while root.key_is(&["COMPD_CS", "COMPOUNDCRS", "BOUNDCRS", "SOURCECRS"]) {
        let inner = root
            .children()
            .find(|c| !c.key_is(&["ID", "AUTHORITY"]))?
            .clone();
        root = inner;
    }
    if let Some(code) = authority_code(&root).filter(|c| is_choice(*c)) {
        return Some(code);
    }
    let name = root.name().unwrap_or("");
    let n = norm(name);
    if root.key_is(&[
        "GEOGCS",
        "GEOGCRS",
        "GEOGRAPHICCRS",
        "GEODCRS",
        "GEODETICCRS",
    ]) {
        return datum_of(&root).map(geographic_code);
    }
    if !root.key_is(&["PROJCS", "PROJCRS", "PROJECTEDCRS"]) {
        return None;
    }
    let method = root
        .find(&["PROJECTION", "METHOD"])
        .and_then(Node::name)
        .map(norm)
        .unwrap_or_default();
    if method.contains("mercator_auxiliary_sphere")
        || method.contains("pseudo_mercator")
        || n.contains("web_mercator")
        || n.contains("pseudo_mercator")
    {
        return Some(3857);
    }
    let spec = name_spec(name);
    let datum = datum_of(&root).or(spec.and_then(|s| s.datum));
    if let Some((cm, fe)) = gk_params(&root) {
        return lookup_gk(datum?, cm, fe, spec.map(|s| s.six));
    }
    if root.find(&["PROJECTION", "METHOD"]).is_some() {
        // A projection we do not handle (UTM with scale 0.9996, Lambert, …).
        return None;
    }
    let spec = spec?;
    lookup_gk(datum?, spec.cm, spec.fe, Some(spec.six))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESRI_4529: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_41",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",41500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_4550: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_4510: &str = r#"PROJCS["CGCS2000_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_4490: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    const ESRI_2365: &str = r#"PROJCS["Xian_1980_3_Degree_GK_Zone_41",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",41500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_2417: &str = r#"PROJCS["Beijing_1954_3_Degree_GK_Zone_41",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",41500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_21481: &str = r#"PROJCS["Beijing_1954_GK_Zone_21N",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_3857: &str = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_4326: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    /// What Chinese desktop software writes for a custom zone-41 CRS: a generic name.
    const GENERIC_4529: &str = r#"PROJCS["Gauss_Kruger",GEOGCS["GCS_CGCS2000",DATUM["D_CGCS2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",41500000],PARAMETER["False_Northing",0],PARAMETER["Central_Meridian",123],PARAMETER["Scale_Factor",1],PARAMETER["Latitude_Of_Origin",0],UNIT["Meter",1]]"#;
    /// Generic name and a datum name that says nothing: the ellipsoid decides.
    const GENERIC_ELLIPSOID_4529: &str = r#"PROJCS["Custom",GEOGCS["GCS_Custom",DATUM["D_Custom",SPHEROID["S",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",41500000],PARAMETER["False_Northing",0],PARAMETER["Central_Meridian",123],PARAMETER["Scale_Factor",1],PARAMETER["Latitude_Of_Origin",0],UNIT["Meter",1]]"#;
    const OGC_4529: &str = r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 41",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",123],PARAMETER["scale_factor",1],PARAMETER["false_easting",41500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","4529"]]"#;
    const WKT2_4529_NO_ID: &str = r#"PROJCRS["CGCS2000 / 3-degree Gauss-Kruger zone 41",
    BASEGEOGCRS["China Geodetic Coordinate System 2000",
        DATUM["China 2000",
            ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],
        PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]]],
    CONVERSION["3-degree Gauss-Kruger zone 41",
        METHOD["Transverse Mercator",ID["EPSG",9807]],
        PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],
        PARAMETER["Longitude of natural origin",123,ANGLEUNIT["degree",0.0174532925199433]],
        PARAMETER["Scale factor at natural origin",1,SCALEUNIT["unity",1]],
        PARAMETER["False easting",41500000,LENGTHUNIT["metre",1]],
        PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],
    CS[Cartesian,2],
        AXIS["northing (X)",north,ORDER[1],LENGTHUNIT["metre",1]],
        AXIS["easting (Y)",east,ORDER[2],LENGTHUNIT["metre",1]]]"#;
    const UTM_51N: &str = r#"PROJCS["WGS_1984_UTM_Zone_51N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn reader_builds_the_node_tree() {
        let root = parse_wkt(r#"PROJCS["A ""quoted"" name",GEOGCS("G",UNIT["Degree",0.5]),AXIS["X",NORTH],PARAMETER["k","1.5"],AUTHORITY["EPSG",4529]]"#)
            .expect("parses");
        assert!(root.key_is(&["projcs"]));
        assert_eq!(root.name(), Some("A \"quoted\" name"));
        assert_eq!(root.children().count(), 4);
        let unit = root.find(&["UNIT"]).expect("nested node in parentheses");
        assert_eq!(unit.numbers().collect::<Vec<_>>(), vec![0.5]);
        let axis = root.find(&["AXIS"]).expect("axis");
        assert_eq!(axis.args[1], Arg::Word("NORTH".into()));
        let param = root.find(&["PARAMETER"]).expect("parameter");
        assert_eq!(
            param.numbers().next(),
            Some(1.5),
            "a quoted number counts as a number"
        );
        assert_eq!(authority_code(&root), Some(4529));
        let mut all = Vec::new();
        root.find_all(&["UNIT", "AXIS"], &mut all);
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn reader_refuses_malformed_and_too_deep_text() {
        assert_eq!(parse_wkt(""), None);
        assert_eq!(parse_wkt("PROJCS"), None);
        assert_eq!(parse_wkt(r#"PROJCS["unterminated"#), None);
        assert_eq!(parse_wkt(r#"PROJCS["a"]"#).map(|n| n.args.len()), Some(1));
        assert_eq!(parse_wkt(r#"PROJCS["a";1]"#), None);
        let ok = format!(
            "{}{}",
            "A[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(parse_wkt(&ok).is_some());
        let deep = format!(
            "{}{}",
            "A[".repeat(MAX_DEPTH + 2),
            "]".repeat(MAX_DEPTH + 2)
        );
        assert_eq!(parse_wkt(&deep), None);
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(
            norm("CGCS2000 / 3-degree Gauss-Kruger zone 41"),
            "cgcs2000_3_degree_gauss_kruger_zone_41"
        );
        assert_eq!(norm("  Xian_1980__GK  "), "xian_1980_gk");
    }

    #[test]
    fn identify_esri_prj() {
        assert_eq!(identify_prj(ESRI_4529), Some(4529));
        assert_eq!(identify_prj(crate::plan::fixtures::PRJ_ZONE41), Some(4529));
        assert_eq!(identify_prj(ESRI_4550), Some(4550));
        assert_eq!(identify_prj(ESRI_4510), Some(4510));
        assert_eq!(identify_prj(ESRI_4490), Some(4490));
        assert_eq!(identify_prj(ESRI_2365), Some(2365));
        assert_eq!(identify_prj(ESRI_2417), Some(2417));
        assert_eq!(identify_prj(ESRI_21481), Some(21481));
        assert_eq!(identify_prj(ESRI_3857), Some(3857));
        assert_eq!(identify_prj(ESRI_4326), Some(4326));
        // With a UTF-8 BOM and trailing newline, as some tools write it.
        assert_eq!(
            identify_prj(&format!("\u{feff}{ESRI_4529}\r\n")),
            Some(4529)
        );
    }

    #[test]
    fn identify_generic_gauss_kruger() {
        assert_eq!(identify_prj(GENERIC_4529), Some(4529));
        assert_eq!(identify_prj(GENERIC_ELLIPSOID_4529), Some(4529));
        let no_prefix = GENERIC_4529.replace("41500000", "500000");
        assert_eq!(identify_prj(&no_prefix), Some(4550));
        let xian = GENERIC_4529
            .replace("D_CGCS2000", "D_Xian_1980")
            .replace("GCS_CGCS2000", "GCS_Xian_1980");
        assert_eq!(identify_prj(&xian), Some(2365));
        let zone21 = GENERIC_4529.replace("41500000", "21500000");
        assert_eq!(identify_prj(&zone21), Some(4499));
        // Zone 39 is not among the choices.
        let zone39 = GENERIC_4529
            .replace("41500000", "39500000")
            .replace("\"Central_Meridian\",123", "\"Central_Meridian\",117");
        assert_eq!(identify_prj(&zone39), None);
    }

    #[test]
    fn identify_ogc_and_wkt2() {
        assert_eq!(identify_prj(OGC_4529), Some(4529));
        assert_eq!(identify_prj(WKT2_4529_NO_ID), Some(4529));
        assert_eq!(identify_prj("EPSG:4529"), Some(4529));
        assert_eq!(identify_prj("epsg: 2365"), Some(2365));
        assert_eq!(identify_prj("EPSG:32651"), None);
    }

    #[test]
    fn identify_by_name_only() {
        // No parameters at all: the name decides.
        assert_eq!(
            identify_prj(r#"PROJCS["Xian_1980_3_Degree_GK_CM_123E"]"#),
            Some(2386)
        );
        assert_eq!(
            identify_prj(r#"PROJCS["Beijing_1954_3_Degree_GK_Zone_41"]"#),
            Some(2417)
        );
        assert_eq!(
            identify_prj(r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 41"]"#),
            Some(4529)
        );
        assert_eq!(
            identify_prj(r#"PROJCS["Xian 1980 / Gauss-Kruger CM 123E"]"#),
            Some(2346)
        );
        assert_eq!(identify_prj(r#"PROJCS["CGCS2000_GK_Zone_21"]"#), Some(4499));
    }

    #[test]
    fn identify_rejects() {
        assert_eq!(identify_prj(UTM_51N), None);
        assert_eq!(identify_prj(""), None);
        assert_eq!(identify_prj("not a prj"), None);
        assert_eq!(identify_prj("PROJCS[\"unterminated"), None);
        let new_beijing = ESRI_2417.replace("Beijing_1954", "New_Beijing");
        assert_eq!(identify_prj(&new_beijing), None);
        // Deep nesting does not overflow the stack.
        let deep = "A[".repeat(10_000);
        assert_eq!(identify_prj(&deep), None);
    }
}
