//! The bundled example repository, as a newcomer sees it.

mod common;

fn example(format: &str) -> (Option<i32>, String) {
    let out = common::run(&[
        "check",
        "examples/contoso",
        "--format",
        format,
        "--now",
        common::NOW,
    ]);
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

#[test]
fn human_output_of_the_example() {
    let (code, text) = example("human");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn human_output_is_stable_across_runs() {
    assert_eq!(example("human"), example("human"));
}

#[test]
fn concise_output_of_the_example() {
    let (code, text) = example("concise");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn no_subcommand_means_check() {
    let with = common::run(&[
        "check",
        "examples/contoso",
        "--format",
        "concise",
        "--now",
        common::NOW,
    ]);
    let without = common::run(&[
        "examples/contoso",
        "--format",
        "concise",
        "--now",
        common::NOW,
    ]);
    assert_eq!(with.stdout, without.stdout);
    assert_eq!(with.status.code(), without.status.code());
}

#[test]
fn two_formats_in_one_run() {
    let file =
        std::env::temp_dir().join(format!("edgelint-two-formats-{}.json", std::process::id()));
    let out = common::run(&[
        "check",
        "examples/contoso",
        "--now",
        common::NOW,
        "--format",
        "json",
        "--output-file",
        file.to_str().unwrap(),
        "--format",
        "concise",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    std::fs::remove_file(&file).unwrap();
    let concise = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        concise.lines().count(),
        json["diagnostics"].as_array().unwrap().len()
    );
    assert!(concise
        .lines()
        .all(|l| l.starts_with("examples/contoso/topology.yaml:")));
}

#[test]
fn rules_lists_every_registered_rule() {
    let out = common::run(&["rules"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for code in [
        "T001", "T002", "T003", "T004", "T005", "N001", "N002", "N005", "K001", "K002", "V001",
        "V002", "V003", "P001",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(code)),
            "{code} missing from `edgelint rules`"
        );
    }
}
