//! Parity tests for the graph commands (`heads`, `branches`, `history`,
//! `show`, plus config lookup and error reporting): every invocation is run
//! with real Alembic and with retort in the same fixture directory, and the
//! exit status and (normalised) stdout must be identical.  See
//! `tests/common/mod.rs` for the harness and its environment knobs.
//!
//! Run with `cargo test --test graph_parity`.  Set `RETORT_PARITY_SHOW=1`
//! to print every Alembic output (handy while implementing).

mod common;

use common::{cases, check_divergence, check_fixture, Case};

/// Invocations that make sense for every healthy project.
fn generic() -> Vec<Case> {
    cases(&[
        "heads",
        "heads -v",
        "heads --resolve-dependencies",
        "heads -v --resolve-dependencies",
        "branches",
        "branches -v",
        "history",
        "history -v",
        "history -r base:heads",
        "history -r :heads",
        "history -r base:",
        "history -r :",
        "history -r-1:",
        "history --rev-range=-2:",
        "history -r-3:",
        "history -r :head",
        "history -r head:",
        "history -v -r-2:",
        "show head",
        "show heads",
        "show base",
        "show -1",
        "show -2",
        "-q heads",
        "-q history",
        "-q branches -v",
        "-q show heads",
    ])
}

/// Invocations for projects whose revision map cannot be built.
fn generic_errors() -> Vec<Case> {
    cases(&[
        "heads",
        "heads -v",
        "heads --resolve-dependencies",
        "branches",
        "branches -v",
        "history",
        "history -v",
        "history -r base:heads",
        "show head",
        "show heads",
        "show base",
        "-q heads",
        "-q history",
        "--raiseerr history",
        "--raiseerr show heads",
    ])
}

fn with(mut base: Vec<Case>, extra: Vec<Case>) -> Vec<Case> {
    base.extend(extra);
    base
}

// --------------------------------------------------------------- healthy

#[test]
fn linear() {
    let mut extra = cases(&[
        // lookups: full ids, prefixes of every length, exact short ids
        "show 1975ea83b712",
        "show 1975",
        "show 19",
        "show 1",
        "show ae1027a6acf5",
        "show ae",
        "show 27c6a30d7c24",
        "show 4f2e",
        "show 4f2",
        "show e",
        "show heads",
        "show head",
        "show base",
        "show -1",
        "show -3",
        "show -4",
        "show ae1027a6acf5@head",
        "show 1975@head",
        "show 1975@heads",
        "show 1975@base",
        "show 1975@-1",
        "show e@1975",
        "show 1975@27c6",
        // relative forms `show` does not accept
        "show ae10+1",
        "show 4f2e-1",
        "show head-1",
        "show +1",
        // errors
        "show zzzz",
        "show zz",
        "show nope@head",
        "show head@1975",
        "-q show zzzz",
        // ranges
        "history -r 1975:",
        "history -r 1975ea83b712:heads",
        "history -r :ae10",
        "history -r ae10:4f2e",
        "history -r 4f2e:ae10",
        "history -r ae10:+2",
        "history -r ae10:+9",
        "history -r base:+2",
        "history -r-5:4f2e",
        "history -r-9:",
        "history -r-4:",
        "history -r base:base",
        "history -r e:e",
        "history -r head:head",
        "history -r :head-1",
        "history -r :-1",
        "history -r :+1",
        "history -r +1:",
        "history -r head-2:",
        "history -r zzzz:",
        "history -r :zzzz",
        "history -r ae10",
        "history -v -r ae10:4f2e",
        "history -r-2:",
        "history --rev-range=-2:",
        "history --rev-range -2:",
        "history --rev-range=:27c6",
        "history --verbose --rev-range 27c6:",
        // config selection
        "-c alembic.ini heads",
        "--config alembic.ini history -r-1:",
        "-c missing.ini heads",
        "-n nosuch heads",
        "-c alembic.ini -n alembic show head",
        // argparse usage errors (exit 2)
        "show",
        "history -r",
        "history -r -2:",
        "history -r -1:head",
        "heads --bogus",
        "frobnicate",
        "",
        "-c",
        "--raiseerr",
        // flags combined
        "-q --raiseerr heads",
        "-x foo=bar heads",
        "-x foo heads -v",
        "-q show base",
    ]);
    extra.extend([
        Case::new("show -5").mention(&["-5", "base"]),
        Case::new("show -6").mention(&["-6"]),
        Case::argv(&["show", ""]).mention(&["''", "\"\"", "empty"]),
        Case::new("history -r a::b").mention(&["a::b"]),
        Case::new("--raiseerr show zzzz").mention(&["zzzz"]),
        Case::new("--raiseerr show head@1975").mention(&["head"]),
        Case::new("--raiseerr history -r 4f2e:ae10").mention(&["4f2e", "ae10"]),
        Case::argv(&["history", "-r", " ae10:4f2e "]),
        Case::argv(&["show", "ae10 "]),
        Case::new("heads").env("ALEMBIC_CONFIG", "alembic.ini"),
        Case::new("heads").env("ALEMBIC_CONFIG", "nonexistent.ini"),
    ]);
    check_fixture("linear", &[], &with(generic(), extra));
}

#[test]
fn branches() {
    let extra = cases(&[
        "show c1branch",
        "show reporting",
        "show c2branch",
        "show c1branch@head",
        "show c2branch@head",
        "show reporting@head",
        "show c1branch@heads",
        "show reporting@heads",
        "show c1branch@base",
        "show c1branch@-1",
        "show c2branch@-2",
        "show c1branch@+1",
        "show c1branch@d2a4b6c8d0e2",
        "show c1branch@58e2",
        "show c2branch@3a7c1e9b2d4f",
        "show c1branch@c1f0",
        "show nobranch@head",
        "show c1f0@head",
        "show c1f0a8b6d4e2@head",
        "show c1@head",
        "show 58e2@heads",
        "show 58e2@head",
        "show c",
        "show c1",
        "show c1f",
        "show d",
        "show d1",
        "show c1b",
        "show rep",
        "show repo",
        "show -3",
        "show -4",
        "show 58e2",
        "history -r c1branch@base:",
        "history -r c2branch@base:",
        "history -r reporting@base:",
        "history -r c1branch@base:c1branch@head",
        "history -r c1branch@base:heads",
        "history -r :c1branch@head",
        "history -r :c2branch@heads",
        "history -r :reporting@head",
        "history -r d1b3:d2a4",
        "history -r 58e2:",
        "history -r 58e2:c1branch@head",
        "history -r 58e2:d1b3",
        "history -r c1f0a8b6d4e2@base:",
        "history -r 3a7c:+3",
        "history -r 58e2:+1",
        "history -r c1branch@-1:",
        "history -r base:head",
        "history -r base:c1branch@head",
        "history -r-1:c1branch@head",
        "history -r nobranch@base:",
        "history -v -r c2branch@base:",
        "branches -v",
        "heads -v",
    ]);
    let extra = with(
        extra,
        vec![
            Case::new("history -r c2e4a6c8e0b2@base:").mention(&["c2e4a6c8e0b2"]),
            Case::new("history -r 58e2d4f6a8c0@base:").mention(&["58e2d4f6a8c0"]),
            Case::new("--raiseerr show head").mention(&["head"]),
            Case::new("--raiseerr show c").mention(&["'c'"]),
        ],
    );
    check_fixture("branches", &[], &with(generic(), extra));
}

#[test]
fn merge() {
    let extra = cases(&[
        "show a1748293a5b6",
        "show a174",
        "show 5c2f",
        "show payments",
        "show payments@head",
        "show payments@heads",
        "show payments@5c2f",
        "show payments@7e41",
        "show payments@-1",
        "show -3",
        "show b285930ab6c7",
        "history -r payments@base:",
        "history -r 7e41:b285",
        "history -r 8f52:7e41",
        "history -r 6d30:a174",
        "history -r 9063:",
        "history -r-3:",
        "history -r a174:+1",
        "history -r 5c2f:+3",
        "history -r 5c2f:+1",
        "history -r :payments@head",
        "history -r :a174",
        "history -r :9063",
        "history -r head-1:",
        "history -v -r 5c2f:a174",
    ]);
    check_fixture("merge", &[], &with(generic(), extra));
}

#[test]
fn diamond() {
    let extra = cases(&[
        "show 2a3b",
        "show 2a3b4",
        "show 2a3b9",
        "show 2a3",
        "show 1f2e",
        "show 3c4d",
        "show 4d5e",
        "show -3",
        "history -r 2a3b4c5d6e7f:",
        "history -r 2a3b4c5d6e7f:2a3b9c8d7e6f",
        "history -r :2a3b9c8d7e6f",
        "history -r :2a3b",
        "history -r 1f2e:+1",
        "history -r 3c4d:+1",
        "history -r 1f2e:3c4d",
        "history -r-2:3c4d",
        "history -v -r :3c4d",
    ]);
    check_fixture("diamond", &[], &with(generic(), extra));
}

#[test]
fn forest() {
    let extra = cases(&[
        "show billing@head",
        "show users@head",
        "show billing@heads",
        "show users@base",
        "show billing@-1",
        "show users@-2",
        "show users@a2c4",
        "show a1@head",
        "show a1e5@head",
        "show a",
        "show b",
        "show billing",
        "show -3",
        "history -r users@base:",
        "history -r billing@base:",
        "history -r a1e5:b2e4",
        "history -r :billing@head",
        "history -r base:users@head",
        "history -r users@base:billing@head",
        "history -r a1e5f0c3b2d1@base:",
        "history -r base:+1",
        "history -r base:+2",
        "history -r a2c4:",
        "history -r-1:users@head",
    ]);
    check_fixture("forest", &[], &with(generic(), extra));
}

#[test]
fn depends_on() {
    let extra = cases(&[
        "show 7b1b0002bb02",
        "show 3e1a0002aa02",
        "show 3e1a",
        "show core",
        "show reports",
        "show core@head",
        "show reports@head",
        "show core@heads",
        "show reports@heads",
        "show 9c1c0001cc01",
        "show 9c1c0002cc02",
        "show -4",
        "history -r core@base:",
        "history -r reports@base:",
        "history -r 3e1a0002aa02:",
        "history -r :7b1b0003bb03",
        "history -r 7b1b0001bb01:7b1b0003bb03",
        "history -r 3e1a0002aa02:7b1b0003bb03",
        "history -r 3e1a0003aa03:7b1b0003bb03",
        "history -r :reports@heads",
        "history -r :core@heads",
        "history -r :9c1c0002cc02",
        "history -r-1:",
        "history -v -r :7b1b0002bb02",
    ]);
    check_fixture("depends_on", &[], &with(generic(), extra));
}

#[test]
fn depends_root() {
    let extra = cases(&[
        "show e7a1",
        "show e7b1",
        "show e7c0",
        "show e7",
        "history -r e7b1:",
        "history -r :e7b1",
        "history -r e7a1:e7b1",
        "history -r-3:",
    ]);
    check_fixture("depends_root", &[], &with(generic(), extra));
}

#[test]
fn three_branches() {
    let extra = cases(&[
        "show merge",
        "show db1",
        "show e1b1",
        "show e1b",
        "show e2b",
        "show fe1b1",
        "show left",
        "show left@head",
        "show right@head",
        "show left@heads",
        "show right@heads",
        "show left@a1",
        "show left@cb2",
        "show -4",
        "history -r left@base:",
        "history -r right@base:",
        "history -r db1:",
        "history -r a3:",
        "history -r a3:merge",
        "history -r cb1:db2",
        "history -r :e2b1",
        "history -r :merge",
        "history -r :left@head",
        "history -r b1:+3",
        "history -r-4:",
        "history -r-6:fe1b1",
        "history -v -r db1:",
    ]);
    check_fixture("three_branches", &[], &with(generic(), extra));
}

#[test]
fn prefix_collision() {
    let extra = cases(&[
        "show aaaa1111",
        "show aaab",
        "show aaab2",
        "show aaa",
        "show aa",
        "show a",
        "show abc",
        "show abcd",
        "show abcde",
        "show f",
        "show fe",
        "show fa",
        "show ff",
        "show feat",
        "show feat@head",
        "show feat@heads",
        "show aaab@head",
        "show aaab@heads",
        "show feat@cccc3333",
        "show aaab@fade0001",
        "show feat@aaaa",
        "show nofeat@head",
        "show bbbb2222",
        "show dddd",
        "show -1",
        "show -3",
        "history -r feat@base:",
        "history -r aaab@base:",
        "history -r aaab:",
        "history -r aaab2222:",
        "history -r :aaab",
        "history -r cccc3333:fade0001",
        "history -r bbbb:ffff",
        "history -r abcd:",
        "history -r abc:",
        "history -r :feat@head",
        "history -r-2:",
        "history -v -r dddd:ffff",
    ]);
    check_fixture("prefix_collision", &[], &with(generic(), extra));
}

#[test]
fn docstrings() {
    let extra = cases(&[
        "show d0c000000001",
        "show d0c000000002",
        "show d0c000000003",
        "show d0c000000004",
        "show d0c000000005",
        "show d0c000000006",
        "show d0c000000007",
        "show d0c000000008",
        "show d0c000000009",
        "show d0c000000010",
        "show d0c000000011",
        "show d0c000000012",
        "show d0c000000013",
        "show d0c000000014",
        "show d0c000000015",
        "show d0c000000016",
        "show d0c",
        "history -r d0c000000008:d0c000000012",
        "history -v -r d0c000000001:d0c000000004",
    ]);
    check_fixture("docstrings", &[], &with(generic(), extra));
}

#[test]
fn exotic_escapes() {
    // `\N{...}` and octal escapes in a docstring, kept apart from
    // `docstrings` so that fixture stays useful if these are unsupported.
    // Deliberate difference: reading `\N{NAME}` needs Unicode's name table, so
    // retort refuses the file by name and line instead of guessing.
    let extra = cases(&["show e5c0000000a1", "show e5c0"]);
    check_divergence(
        "exotic_escapes",
        "",
        &["e5c0000000a1", "\\N{"],
        &with(generic(), extra),
    );
}

#[test]
fn legacy_names() {
    let extra = cases(&[
        "show ae10",
        "show c0ffee",
        "show 0001_initial",
        "show 0001",
        "show 0002_add_users",
        "show 0004_hidden",
        "show 000",
        "show c0ff",
        "history -r 0002_add_users:",
        "history -r 0001:c0ffee",
        "history -r ae10:+1",
    ]);
    check_fixture("legacy_names", &[], &with(generic(), extra));
}

#[test]
fn recursive() {
    let extra = cases(&[
        "show 2200",
        "show 8000abcd0007",
        "history -r 2000bbbb0002:",
        "history -r :2200dddd0004",
        "-n flat heads",
        "-n flat history",
        "-n flat branches",
        "-n capital heads",
        "-n capital history",
    ]);
    check_fixture("recursive", &[], &with(generic(), extra));
}

#[test]
fn multi_locations() {
    let extra = cases(&[
        "show model_a@head",
        "show model_b@head",
        "show b0b0b0b0b002",
        "show dec0de000001",
        "history -r model_b@base:",
        "history -r model_a@base:",
        "history -r :b0b0b0b0b002",
        "-n legacy heads",
        "-n legacy history",
        "-n spaces heads",
        "-n spaces history -v",
        "-n newline history",
        "-n os history",
        "-n dupe history",
        "-n relative history",
        "-n relative heads -v",
        "-n default_versions history",
        "-n default_versions heads -v",
    ]);
    check_fixture("multi_locations", &[], &with(generic(), extra));
}

#[test]
fn pyproject_only() {
    let extra = vec![
        Case::new("-c pyproject.toml heads"),
        Case::new("-c pyproject.toml history -v"),
        Case::new("-c alembic.ini heads"),
        Case::new("show stock@head"),
        Case::new("show 0f0e"),
        Case::new("history -r stock@base:"),
        Case::new("-n other heads"),
        Case::new("heads").env("ALEMBIC_CONFIG", "pyproject.toml"),
        Case::new("history").env("ALEMBIC_CONFIG", "./pyproject.toml"),
    ];
    check_fixture("pyproject_only", &[], &with(generic(), extra));
}

#[test]
fn ini_and_pyproject() {
    let extra = vec![
        Case::new("-n other heads"),
        Case::new("-n other history"),
        Case::new("-c pyproject.toml heads"),
        Case::new("-c pyproject.toml -c alembic.ini history"),
        Case::new("-c alembic.ini -c pyproject.toml -n other history"),
        Case::new("-c pyproject.toml -c pyproject.toml heads").mention(&["pyproject.toml"]),
        Case::new("-c alembic.ini -c alembic.ini heads").mention(&["ini"]),
    ];
    check_fixture("ini_and_pyproject", &[], &with(generic(), extra));
}

#[test]
fn named_sections() {
    let extra = vec![
        Case::new("-n tenant heads"),
        Case::new("-n tenant history -v"),
        Case::new("--name tenant show head"),
        Case::new("-n broken heads"),
        Case::new("-n nosuch heads"),
        Case::new("-n DEFAULT heads"),
        Case::new("-c other.ini heads"),
        Case::new("-c other.ini -n tenant heads"),
        Case::new("-c ./other.ini history"),
        Case::new("heads").env("ALEMBIC_CONFIG", "other.ini"),
        Case::new("-c alembic.ini heads").env("ALEMBIC_CONFIG", "other.ini"),
        Case::new("-c other.ini -c alembic.ini heads").mention(&["ini"]),
    ];
    check_fixture("named_sections", &[], &with(generic(), extra));
}

#[test]
fn empty() {
    let extra = cases(&["show zzzz", "history -r base:base", "history -r base:+1"]);
    check_fixture("empty", &[], &with(generic(), extra));
}

#[test]
fn no_config() {
    check_fixture(
        "no_config",
        &["script_location"],
        &with(
            generic_errors(),
            cases(&["-c alembic.ini heads", "-n other heads"]),
        ),
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn err_cycle() {
    check_fixture(
        "err_cycle",
        &[
            "f00d00000003",
            "c0de00000005",
            "beef00000004",
            "d00d00000006",
        ],
        &generic_errors(),
    );
}

#[test]
fn err_cycle_no_base() {
    check_fixture(
        "err_cycle_no_base",
        &["f1f1f1f1f1f1", "e1e1e1e1e1e1", "d1d1d1d1d1d1"],
        &generic_errors(),
    );
}

#[test]
fn err_self_loop() {
    check_fixture("err_self_loop", &["5e1f5e1f5e1f"], &generic_errors());
}

#[test]
fn err_dependency_cycle() {
    check_fixture(
        "err_dependency_cycle",
        &["d0d0d0d00002", "d0d0d0d00003"],
        &generic_errors(),
    );
}

#[test]
fn err_dependency_self_loop() {
    check_fixture(
        "err_dependency_self_loop",
        &["cd34cd34cd34"],
        &generic_errors(),
    );
}

#[test]
fn err_duplicate_label() {
    check_fixture("err_duplicate_label", &["shared"], &generic_errors());
}

#[test]
fn err_label_is_revision() {
    check_fixture(
        "err_label_is_revision",
        &["1a1a1a1a1a1a"],
        &generic_errors(),
    );
}

#[test]
fn err_missing_down() {
    check_fixture("err_missing_down", &["deadbeef0000"], &generic_errors());
}

#[test]
fn err_unknown_depends_on() {
    check_fixture(
        "err_unknown_depends_on",
        &["nosuchlabel"],
        &generic_errors(),
    );
}

#[test]
fn err_duplicate_revision() {
    // Deliberate difference: Alembic warns and then shows a phantom head;
    // retort refuses the project.
    let extra = cases(&["show b2b2b2b2b2b2", "show d4d4", "history -r b2b2:"]);
    check_divergence(
        "err_duplicate_revision",
        "is present more than once",
        &["b2b2b2b2b2b2"],
        &with(generic(), extra),
    );
}

#[test]
fn err_no_script_location() {
    check_fixture(
        "err_no_script_location",
        &["script_location"],
        &generic_errors(),
    );
}

#[test]
fn err_bad_path_separator() {
    check_fixture(
        "err_bad_path_separator",
        &["path_separator", "|"],
        &generic_errors(),
    );
}

#[test]
fn err_missing_dir() {
    check_fixture("err_missing_dir", &["migrations"], &generic_errors());
}

#[test]
fn err_toml_bool() {
    check_fixture(
        "err_toml_bool",
        &["recursive_version_locations"],
        &generic_errors(),
    );
}

#[test]
fn err_illegal_chars() {
    check_fixture("err_illegal_chars", &["add-users"], &generic_errors());
}

#[test]
fn err_no_revision_id() {
    check_fixture(
        "err_no_revision_id",
        &["0002_add_orders.py"],
        &generic_errors(),
    );
}

#[test]
fn err_no_down_revision() {
    check_fixture(
        "err_no_down_revision",
        &["5a6b7c8d9e0f_forgot_down_revision.py", "5a6b7c8d9e0f"],
        &generic_errors(),
    );
}

#[test]
fn err_conflict_markers() {
    check_fixture(
        "err_conflict_markers",
        &["7c8d9e0f1a2b_resolve_me.py"],
        &generic_errors(),
    );
}

#[test]
fn depends_multi() {
    // cc0200000002 depends on two revisions.  Alembic keeps the
    // not-yet-implied dependencies in a Python set, so the order in which
    // `history` walks those two branches changes with the hash seed: the
    // commands below that walk through it are compared as unordered lines.
    let mut all: Vec<Case> = generic()
        .into_iter()
        .map(|c| {
            let walks = c.args.iter().any(|a| a == "history" || a == "branches");
            if walks {
                c.unordered()
            } else {
                c
            }
        })
        .collect();
    all.extend(cases(&[
        "show cc0200000002",
        "show cc0300000003",
        "show catalog@head",
        "show catalog@heads",
        "show orders@heads",
        "show accounts@head",
        "show cc03-1",
        "show aa02",
        "show bb0200000002",
        "show accounts@heads",
    ]));
    all.extend(
        cases(&[
            "history -r accounts@base:",
            "history -r :cc0200000002",
            "history -r cc0100000001:",
            "history -r aa0200000002:cc0300000003",
            "history -r :orders@head",
        ])
        .into_iter()
        .map(Case::unordered),
    );
    check_fixture("depends_multi", &[], &all);
}
