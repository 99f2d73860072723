//! Recognising an `env.py` that is one of Alembic's stock templates (or one of
//! retort's own `init` templates, which do the same), byte for byte. Such an
//! env.py only reads `sqlalchemy.url` from the main ini section and
//! configures the default version table, so retort can do its work without
//! starting Python.

use std::path::Path;

/// Which stock template an env.py is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockEnv {
    Generic,
    Async,
    Pyproject,
    PyprojectAsync,
}

/// SHA-256 of every version of the stock `env.py` templates Alembic has shipped
/// (from its repository history), with the template each belongs to.
const STOCK_DIGESTS: &[(&str, StockEnv)] = &[
    (
        "30c9cfdca00c6725e9cb34a6b4774dc412db8173f11c94094bb99790f53ca1e8",
        StockEnv::Async,
    ),
    (
        "3aa0ddb9362763c4497781b1c0c90638b4bbe514edf29fe9ff94bbde97cbe1d0",
        StockEnv::Async,
    ),
    (
        "45fe865715fb445cc2bcb561186548f8f21197a34deb7f11c64122531daffc97",
        StockEnv::Async,
    ),
    (
        "cdb3827f763bc36960f768714b0986d4c33fef2e7a8bfa111f800aa74a50058a",
        StockEnv::Async,
    ),
    (
        "ce82a92e02aac403cd42465bb628c0c516ff7f09561ff702dda5c76404d443fc",
        StockEnv::Async,
    ),
    (
        "eb4b72f4ec8c780825a3450ea9439b8e336b9012e0ed3f8063a6fa8bb9dac5f3",
        StockEnv::Async,
    ),
    (
        "06f75af9fb5bfbbf0a5223968c47dc2076925afae9742fe21fd24596e4aa5147",
        StockEnv::Generic,
    ),
    (
        "2cdad0771d6a94d495a4bd847fd868fa5e7c70823e7b87757b596927237542c9",
        StockEnv::Generic,
    ),
    (
        "2cdd3a5a41349e3d5118bfbe49bcd87f1e03468a52979836221bba9275093194",
        StockEnv::Generic,
    ),
    (
        "2dff8127a210c8caa1c6c42de051a7bf6c5ae40f925dfc43f4e0affdc70187a2",
        StockEnv::Generic,
    ),
    (
        "2eb7c1d74dba996e117fa4fe3dc8968fb376e3cab2fe455dfa7c2882f0230ffb",
        StockEnv::Generic,
    ),
    (
        "3a61cb48a223c0f6a506dddc09d84df22caec73bfe9e3638bfaffbeb21e738ac",
        StockEnv::Generic,
    ),
    (
        "442bd3b955611f122dfd0acb922e207bf6ba4e358742b6bbe17225963a7a6344",
        StockEnv::Generic,
    ),
    (
        "4cb4563955b75e9b7f4e97fc245ce59e83e7feaa14bbc515efb638a3d5c3eb22",
        StockEnv::Generic,
    ),
    (
        "5cf107d7c5c77a7ff657fb73a657d49b8a4e519eb9a8a29c365bb187c2c88eaf",
        StockEnv::Generic,
    ),
    (
        "5fee407ccb04b331137fcb433dc9ebb3e1cdc79a60b153c99bbfda32dfefba6a",
        StockEnv::Generic,
    ),
    (
        "624bdf8460142bdbd1570e951a94e17365b2e6cd818aa67885428b25334b0251",
        StockEnv::Generic,
    ),
    (
        "789a2ed78f04491a4d17803706d112bac6728217017404115f6e8a11d242d60e",
        StockEnv::Generic,
    ),
    (
        "877110d1be34fb8cdf451ed8623e942a1f6e7b1fd0e0c506efe3655e7f7c925a",
        StockEnv::Generic,
    ),
    (
        "8ce0ef16f396b2f190c248722d53ff0331c399e561cd3e0f86ae6558f459b778",
        StockEnv::Generic,
    ),
    (
        "9a4b94e03a6819d0ff4a246f09096fbc5a1a74bf5df9d414bc126776e48732c2",
        StockEnv::Generic,
    ),
    (
        "b58fdb4e03d3e3e57b20a47d5d3586d8ea18c7c63f12035b3c23d94591d38d7e",
        StockEnv::Generic,
    ),
    (
        "b85ed1b03767bd7ff375adbc5e1674563fcf5116b5c42d2346725eb4308713fc",
        StockEnv::Generic,
    ),
    (
        "c070eb2371ea4ff385c1a93d1b5b67971303c3fa0786d2a3232ce9cfd3f9247e",
        StockEnv::Generic,
    ),
    (
        "c2704d45007bb34ccab2b6a44d30505b6ec946027b10cb81a782c762437c5776",
        StockEnv::Generic,
    ),
    (
        "ca0f6bb0233c12f490327e7235ac539b33401ac9454e9a6cb0014fe58ff07189",
        StockEnv::Generic,
    ),
    (
        "dd1724e6538b69195a1dc368bd1bc44a5b656393dff3764a7612dda3e727aa4a",
        StockEnv::Generic,
    ),
    (
        "eee4e5de059324f7237d4dfc650e725032986d93f0c161380804b4ce17f2f46f",
        StockEnv::Generic,
    ),
    (
        "fbc4c587efc2c628f5752758c7e3f4fe56872257e2a2900caf193201a5a4484f",
        StockEnv::Generic,
    ),
];

/// The stock template `env_py` is, if any (`None` also when it cannot be read).
pub fn stock_env(env_py: &Path) -> Option<StockEnv> {
    let bytes = std::fs::read(env_py).ok()?;
    // retort's own templates behave as Alembic's generic and async ones.
    if bytes == super::templates::ENV_PY.as_bytes() {
        return Some(StockEnv::Generic);
    }
    if bytes == super::templates::ENV_ASYNC_PY.as_bytes() {
        return Some(StockEnv::Async);
    }
    let hex = super::sha256_hex(&bytes);
    STOCK_DIGESTS
        .iter()
        .find(|(d, _)| *d == hex)
        .map(|(_, kind)| *kind)
}
