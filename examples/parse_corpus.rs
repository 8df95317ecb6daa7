//! Parses every page under a folder, single-threaded, and prints the time: a profiling aid for
//! the document parser (`perf record target/release/examples/parse_corpus DIR`).

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_corpus DIR");
        std::process::exit(2);
    };
    let (files, _) = doclint::walk::files_under(std::path::Path::new(&dir), 1);
    let texts: Vec<String> = files
        .iter()
        .filter(|f| doclint::walk::is_page(f))
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let start = std::time::Instant::now();
    let mut items = 0;
    for text in texts {
        let doc = doclint::document::Document::parse(
            "p.md".into(),
            "p.md".into(),
            "p.md".into(),
            text,
            false,
        );
        items += doc.links.len() + doc.headings.len();
    }
    let elapsed = start.elapsed();
    println!(
        "parsed {} MB in {:?} ({:.0} MB/s), {items} links and headings",
        bytes / 1_000_000,
        elapsed,
        bytes as f64 / 1e6 / elapsed.as_secs_f64()
    );
}
