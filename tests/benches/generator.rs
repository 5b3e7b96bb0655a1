//! The generator end to end (load → resolve → model → naming → emit, into memory) on the
//! real spec and on synthetic specs with 10× and 100× as many schemas, to show cost grows
//! linearly. `cargo bench -p tests --bench generator`.

use divan::black_box;

fn main() {
    divan::main();
}

/// The real spec with every component schema copied `copies` times (references rewritten to
/// the copy's own schemas), so the schema count grows `copies`-fold.
fn scaled_spec(copies: usize) -> String {
    let text = tests::bundled_spec("StartRecord");
    if copies == 1 {
        return text;
    }
    let mut spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec parses");
    let schemas = spec["components"]["schemas"]
        .as_mapping()
        .cloned()
        .expect("schemas");
    let mut scaled = serde_yaml::Mapping::new();
    for copy in 0..copies {
        for (name, schema) in &schemas {
            let name = name.as_str().expect("string keys");
            let renamed = if copy == 0 {
                name.to_owned()
            } else {
                format!("{name}Copy{copy}")
            };
            let mut text = serde_yaml::to_string(schema).expect("serializes");
            if copy > 0 {
                for other in schemas.keys().filter_map(|k| k.as_str()) {
                    text = text.replace(
                        &format!("#/components/schemas/{other}'"),
                        &format!("#/components/schemas/{other}Copy{copy}'"),
                    );
                }
                text = text.replace(
                    "x-zego-type-name: ",
                    &format!("x-zego-type-name: Copy{copy}"),
                );
            }
            let mut value: serde_yaml::Value = serde_yaml::from_str(&text).expect("reparses");
            if copy > 0 {
                rename_inline_enums(&mut value, copy);
            }
            scaled.insert(renamed.into(), value);
        }
    }
    spec["components"]["schemas"] = serde_yaml::Value::Mapping(scaled);
    serde_yaml::to_string(&spec).expect("serializes")
}

/// Inline enums are named after their field; copies get an explicit distinct name.
fn rename_inline_enums(value: &mut serde_yaml::Value, copy: usize) {
    let Some(properties) = value.get_mut("properties").and_then(|p| p.as_mapping_mut()) else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        if property.get("enum").is_some() && property.get("x-zego-type-name").is_none() {
            let type_name = format!("Copy{copy}{}", name.as_str().unwrap_or_default());
            if let Some(map) = property.as_mapping_mut() {
                map.insert("x-zego-type-name".into(), type_name.into());
            }
        }
    }
}

#[divan::bench(args = [1, 10, 100], sample_count = 10, sample_size = 1)]
fn generate(bencher: divan::Bencher, copies: usize) {
    let text = scaled_spec(copies);
    assert!(
        xtask::generate_from_str("spec.yaml", &text).is_ok(),
        "the scaled spec generates"
    );
    bencher
        .bench(|| xtask::generate_from_str("spec.yaml", black_box(&text)).map(|files| files.len()));
}
