//! Throws random and mutated input at the link decoder and the file reader: nothing may panic,
//! hang, or open something a link could not have carried.
//!
//! CI runs 30 000 cases; `CLUSTERLAB_FUZZ_CASES=1000000 cargo test --release --test share_fuzz`
//! runs the full million (see docs/performance.md for the last full run).

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clusterlab::model::Scenario;
use clusterlab::share::{self, Shared};
use common::random::Gen;
use common::{EXAMPLES, example};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn cases() -> u64 {
    std::env::var("CLUSTERLAB_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30_000)
}

/// Valid links to mutate: every example and some random scenarios.
fn corpus() -> Vec<String> {
    let mut links: Vec<String> = EXAMPLES
        .iter()
        .map(|n| {
            share::encode(&Shared {
                scenario: example(n),
                at_ms: Some(1_000),
            })
            .unwrap()
        })
        .collect();
    for seed in 0..40 {
        links.push(share::encode(&Gen::new(seed).shared()).unwrap());
    }
    links
}

/// Whatever the decoder accepts must be something a link can carry, and carry back.
fn decode_checked(input: &str) -> bool {
    match share::decode(input) {
        Ok(shared) => {
            let again = share::encode(&shared).expect("an opened link can be shared again");
            assert_eq!(share::decode(&again).unwrap(), shared);
            true
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            false
        }
    }
}

fn mutate_bytes(rng: &mut Xoshiro256PlusPlus, bytes: &mut Vec<u8>) {
    for _ in 0..rng.random_range(1..=4) {
        if bytes.is_empty() {
            bytes.push(rng.random());
            continue;
        }
        let i = rng.random_range(0..bytes.len());
        match rng.random_range(0..6) {
            0 => bytes[i] ^= 1 << rng.random_range(0..8),
            1 => bytes[i] = rng.random(),
            2 => {
                bytes.remove(i);
            }
            3 => bytes.insert(i, rng.random()),
            // A huge varint: counts and indices far beyond the data.
            4 => {
                let huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
                bytes.splice(i..i, huge);
            }
            _ => bytes.truncate(i),
        }
    }
}

#[test]
fn the_decoder_survives_random_and_mutated_links() {
    let corpus = corpus();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let alphabet: Vec<char> = ('A'..='Z')
        .chain('a'..='z')
        .chain('0'..='9')
        .chain(['-', '_'])
        .collect();
    // Bombs: little input that unpacks to megabytes (made once: compressing them is slow).
    let bombs: Vec<String> = [2usize, 8, 64]
        .iter()
        .map(|mb| share::fragment_of(&vec![0u8; mb << 20]))
        .collect();
    let mut opened = 0u64;
    for _ in 0..cases() {
        let good = &corpus[rng.random_range(0..corpus.len())];
        let input = match rng.random_range(0..7) {
            // Random bytes, as text.
            0 => {
                let n = rng.random_range(0..300);
                let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            // Random link characters behind a valid prefix.
            1 => {
                let n = rng.random_range(0..800);
                let body: String = (0..n)
                    .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                    .collect();
                format!("#v{}.{body}", 1 + rng.random_range(0..2))
            }
            // Cut short.
            2 => good[..rng.random_range(0..good.len())].to_string(),
            // Bit flips and edits in the compressed bytes.
            3 => {
                let mut packed = URL_SAFE_NO_PAD.decode(&good[3..]).unwrap();
                mutate_bytes(&mut rng, &mut packed);
                format!("{}{}", &good[..3], URL_SAFE_NO_PAD.encode(packed))
            }
            // Edits in the wire itself, packed again: reaches the reader past the inflater.
            4 | 5 => {
                let mut wire = share::wire_bytes(good).unwrap();
                mutate_bytes(&mut rng, &mut wire);
                share::fragment_of(&wire)
            }
            // A decompression bomb.
            _ => bombs[rng.random_range(0..bombs.len())].clone(),
        };
        opened += u64::from(decode_checked(&input));
    }
    eprintln!(
        "{} inputs, {opened} opened (valid after mutation), none panicked",
        cases()
    );
}

#[test]
fn the_file_reader_survives_mutated_and_deeply_nested_json() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
    let files: Vec<String> = EXAMPLES.iter().map(|n| example(n).to_json()).collect();
    for _ in 0..cases() / 10 {
        let mut bytes = files[rng.random_range(0..files.len())].clone().into_bytes();
        mutate_bytes(&mut rng, &mut bytes);
        if let Ok(s) = Scenario::from_json(&String::from_utf8_lossy(&bytes)) {
            let _ = s.validate();
        }
    }
    for depth in [100, 10_000, 1_000_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(Scenario::from_json(&deep).is_err());
        let deep = format!("{{\"name\":{}", "{\"a\":".repeat(depth));
        assert!(Scenario::from_json(&deep).is_err());
    }
}
