use clap::Parser;

fn main() {
    let cli = retort::cli::Cli::parse();
    std::process::exit(retort::commands::run(cli));
}
