//! Finding a versioned function in the vDSO's ELF image.
//!
//! The kernel maps a small shared object, the vDSO, into every process and
//! passes its address in the auxiliary vector (`AT_SYSINFO_EHDR`). This
//! module reads that object's dynamic symbol table the way a dynamic linker
//! would, following the steps of the kernel's own reference parser
//! (`tools/testing/selftests/vDSO/parse_vdso.c`): program headers, then the
//! `PT_DYNAMIC` entries, then a hash-table lookup (`DT_GNU_HASH` or
//! `DT_HASH`), then the symbol-version check (`DT_VERSYM` / `DT_VERDEF`).
//!
//! It works on a byte slice and reads every field through a bounds-checked
//! accessor, so it has no `unsafe` code and no input can make it read out of
//! bounds, panic or loop forever. That is what lets a fuzz target feed it
//! arbitrary bytes (`secrets_kit::__fuzz::vdso_lookup`). Only the caller that
//! turns the kernel's pointer into a slice (`linux_vdso::live_image`) needs
//! `unsafe`.
//!
//! Values are read in the machine's native byte order, as the vDSO is built
//! for the machine it runs on; an image of the other byte order or of
//! another class or machine is rejected.
// The platform layer allows `unsafe`; this module must never need it.
#![forbid(unsafe_code)]

/// `Elf64_Ehdr` field offsets and sizes.
const EI_CLASS: usize = 4;
const EI_DATA: usize = 5;
const ELFCLASS64: u8 = 2;
const E_MACHINE: usize = 18;
const E_PHOFF: usize = 32;
const E_PHENTSIZE: usize = 54;
const E_PHNUM: usize = 56;

/// `Elf64_Phdr`.
const PHDR_SIZE: usize = 56;
const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;

/// `Elf64_Dyn` and the tags we use.
const DYN_SIZE: usize = 16;
const DT_NULL: u64 = 0;
const DT_HASH: u64 = 4;
const DT_STRTAB: u64 = 5;
const DT_SYMTAB: u64 = 6;
const DT_STRSZ: u64 = 10;
const DT_SYMENT: u64 = 11;
const DT_GNU_HASH: u64 = 0x6fff_fef5;
const DT_VERSYM: u64 = 0x6fff_fff0;
const DT_VERDEF: u64 = 0x6fff_fffc;

/// `Elf64_Sym`.
const SYM_SIZE: usize = 24;
const STT_FUNC: u8 = 2;
const STB_GLOBAL: u8 = 1;
const STB_WEAK: u8 = 2;
const SHN_UNDEF: u16 = 0;

/// `Elf64_Verdef` / `Elf64_Verdaux`.
const VERDEF_SIZE: usize = 20;
const VER_FLG_BASE: u16 = 1;
const VERSYM_HIDDEN: u16 = 0x8000;

/// Upper bound on the version definitions walked; the vDSO has two.
const MAX_VERDEFS: usize = 64;

/// The byte order the image must have: the machine's own.
const ELFDATA_NATIVE: u8 = if cfg!(target_endian = "little") { 1 } else { 2 };

/// The `e_machine` the image must have, on machines with a vDSO
/// `getrandom`. Elsewhere any machine is accepted, so the parser can still
/// be exercised (it is never used to call anything there).
const NATIVE_MACHINE: Option<u16> = if cfg!(target_arch = "x86_64") {
    Some(62)
} else if cfg!(target_arch = "aarch64") {
    Some(183)
} else if cfg!(target_arch = "s390x") {
    Some(22)
} else if cfg!(target_arch = "riscv64") {
    Some(243)
} else if cfg!(target_arch = "loongarch64") {
    Some(258)
} else {
    None
};

/// Width of a `DT_HASH` table word: 64-bit on s390x, 32-bit everywhere
/// else. (`DT_GNU_HASH` words are 32-bit on every machine.)
const SYSV_HASH_WORD: usize = if cfg!(target_arch = "s390x") { 8 } else { 4 };

/// A byte slice read through bounds-checked native-endian accessors.
#[derive(Clone, Copy)]
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn get(self, offset: usize, len: usize) -> Option<&'a [u8]> {
        self.0.get(offset..offset.checked_add(len)?)
    }

    fn u8(self, offset: usize) -> Option<u8> {
        self.0.get(offset).copied()
    }

    fn u16(self, offset: usize) -> Option<u16> {
        Some(u16::from_ne_bytes(self.get(offset, 2)?.try_into().ok()?))
    }

    fn u32(self, offset: usize) -> Option<u32> {
        Some(u32::from_ne_bytes(self.get(offset, 4)?.try_into().ok()?))
    }

    fn u64(self, offset: usize) -> Option<u64> {
        Some(u64::from_ne_bytes(self.get(offset, 8)?.try_into().ok()?))
    }

    /// A 64-bit field that must fit in `usize` to be usable as an offset.
    fn offset(self, offset: usize) -> Option<usize> {
        usize::try_from(self.u64(offset)?).ok()
    }

    /// A `DT_HASH` word, whose width depends on the machine.
    fn sysv_word(self, offset: usize) -> Option<usize> {
        if SYSV_HASH_WORD == 8 {
            self.offset(offset)
        } else {
            usize::try_from(self.u32(offset)?).ok()
        }
    }
}

/// The loadable segment: how virtual addresses map to image offsets.
#[derive(Clone, Copy)]
struct Load {
    offset: u64,
    vaddr: u64,
    filesz: u64,
}

impl Load {
    /// The image offset of a virtual address inside the segment.
    fn to_offset(self, vaddr: u64) -> Option<usize> {
        let within = vaddr.checked_sub(self.vaddr)?;
        if within >= self.filesz {
            return None;
        }
        usize::try_from(self.offset.checked_add(within)?).ok()
    }
}

/// The ELF header and program headers: the first `PT_LOAD` and the
/// `PT_DYNAMIC` segment's (offset, size).
fn segments(image: Bytes<'_>) -> Option<(Load, (usize, usize))> {
    if image.get(0, 4)? != b"\x7fELF"
        || image.u8(EI_CLASS)? != ELFCLASS64
        || image.u8(EI_DATA)? != ELFDATA_NATIVE
    {
        return None;
    }
    if let Some(machine) = NATIVE_MACHINE {
        if image.u16(E_MACHINE)? != machine {
            return None;
        }
    }
    let phoff = image.offset(E_PHOFF)?;
    let phentsize = usize::from(image.u16(E_PHENTSIZE)?);
    let phnum = usize::from(image.u16(E_PHNUM)?);
    if phentsize < PHDR_SIZE {
        return None;
    }
    let mut load = None;
    let mut dynamic = None;
    for index in 0..phnum {
        let ph = phoff.checked_add(index.checked_mul(phentsize)?)?;
        // Reading the whole header first bounds `ph` by the image length,
        // so `ph + field` cannot overflow.
        image.get(ph, PHDR_SIZE)?;
        match image.u32(ph)? {
            PT_LOAD if load.is_none() => {
                load = Some(Load {
                    offset: image.u64(ph + 8)?,
                    vaddr: image.u64(ph + 16)?,
                    filesz: image.u64(ph + 32)?,
                });
            }
            PT_DYNAMIC => {
                let offset = image.offset(ph + 8)?;
                let size = image.offset(ph + 32)?;
                dynamic = Some((offset, size));
            }
            _ => {}
        }
    }
    Some((load?, dynamic?))
}

/// How many bytes from the image's start the kernel has mapped: the end of
/// its first loadable segment. `header` needs to hold only the ELF header and
/// the program headers (the first page of the mapping does).
// Unused in builds without the vDSO backend; the lookup is used by the fuzz
// entry point everywhere.
#[allow(dead_code)]
pub(crate) fn mapped_len(header: &[u8]) -> Option<usize> {
    let (load, _) = segments(Bytes(header))?;
    usize::try_from(load.offset.checked_add(load.filesz)?).ok()
}

/// The dynamic-section entries the lookup needs, as image offsets.
struct Dynamic {
    strtab: usize,
    /// Size of the string table, when the image states it.
    strsz: Option<usize>,
    symtab: usize,
    sysv_hash: Option<usize>,
    gnu_hash: Option<usize>,
    versym: Option<usize>,
    verdef: Option<usize>,
}

fn dynamic(image: Bytes<'_>, load: Load, (offset, size): (usize, usize)) -> Option<Dynamic> {
    let at = |vaddr: u64| load.to_offset(vaddr);
    let (mut strtab, mut strsz, mut symtab) = (None, None, None);
    let (mut sysv_hash, mut gnu_hash, mut versym, mut verdef) = (None, None, None, None);
    // `size / DYN_SIZE` bounds the walk even when DT_NULL is missing.
    for index in 0..size / DYN_SIZE {
        let entry = offset.checked_add(index * DYN_SIZE)?;
        image.get(entry, DYN_SIZE)?;
        let tag = image.u64(entry)?;
        let value = image.u64(entry + 8)?;
        match tag {
            DT_NULL => break,
            DT_STRTAB => strtab = Some(at(value)?),
            DT_STRSZ => strsz = Some(usize::try_from(value).ok()?),
            DT_SYMTAB => symtab = Some(at(value)?),
            DT_SYMENT if value != SYM_SIZE as u64 => return None,
            DT_HASH => sysv_hash = Some(at(value)?),
            DT_GNU_HASH => gnu_hash = Some(at(value)?),
            DT_VERSYM => versym = Some(at(value)?),
            DT_VERDEF => verdef = Some(at(value)?),
            _ => {}
        }
    }
    Some(Dynamic {
        strtab: strtab?,
        strsz,
        symtab: symtab?,
        sysv_hash,
        gnu_hash,
        versym,
        verdef,
    })
}

/// The System V ELF hash (`DT_HASH`, `vd_hash`).
fn elf_hash(name: &[u8]) -> u32 {
    name.iter().fold(0u32, |hash, &byte| {
        let hash = (hash << 4).wrapping_add(u32::from(byte));
        let high = hash & 0xf000_0000;
        (hash ^ (high >> 24)) & !high
    })
}

/// The GNU hash (`DT_GNU_HASH`): djb2, `h * 33 + c`.
fn gnu_hash(name: &[u8]) -> u32 {
    name.iter().fold(5381u32, |hash, &byte| {
        hash.wrapping_mul(33).wrapping_add(u32::from(byte))
    })
}

struct Lookup<'a, 'n> {
    image: Bytes<'a>,
    load: Load,
    dynamic: Dynamic,
    name: &'n [u8],
    version: &'n [u8],
}

impl Lookup<'_, '_> {
    /// Whether the string at `name_offset` in the string table is `want`.
    fn string_is(&self, name_offset: usize, want: &[u8]) -> bool {
        let Some(end) = name_offset.checked_add(want.len()) else {
            return false;
        };
        if self.dynamic.strsz.is_some_and(|strsz| end >= strsz) {
            return false;
        }
        let Some(start) = self.dynamic.strtab.checked_add(name_offset) else {
            return false;
        };
        match self.image.get(start, want.len() + 1) {
            Some(found) => found[..want.len()] == *want && found[want.len()] == 0,
            None => false,
        }
    }

    /// The image offset of symbol `index`'s code, if it is the function we
    /// want, in the version we want.
    fn check_symbol(&self, index: usize) -> Option<usize> {
        let sym = self
            .dynamic
            .symtab
            .checked_add(index.checked_mul(SYM_SIZE)?)?;
        let name = usize::try_from(self.image.u32(sym)?).ok()?;
        let info = self.image.u8(sym + 4)?;
        let section = self.image.u16(sym + 6)?;
        let value = self.image.u64(sym + 8)?;
        let (kind, binding) = (info & 0xf, info >> 4);
        if kind != STT_FUNC
            || !(binding == STB_GLOBAL || binding == STB_WEAK)
            || section == SHN_UNDEF
            || !self.string_is(name, self.name)
            || !self.version_matches(index)?
        {
            return None;
        }
        self.load.to_offset(value)
    }

    /// Whether symbol `index` has the version we want. An image without
    /// version information accepts every symbol, as the dynamic linker does.
    fn version_matches(&self, index: usize) -> Option<bool> {
        let (Some(versym), Some(verdef)) = (self.dynamic.versym, self.dynamic.verdef) else {
            return Some(self.dynamic.versym.is_none());
        };
        let wanted = self.image.u16(versym.checked_add(index.checked_mul(2)?)?)? & !VERSYM_HIDDEN;
        let mut def = verdef;
        for _ in 0..MAX_VERDEFS {
            // The whole record is in the image, so `def + field` below
            // cannot overflow.
            self.image.get(def, VERDEF_SIZE)?;
            let flags = self.image.u16(def + 2)?;
            let ndx = self.image.u16(def + 4)?;
            if flags & VER_FLG_BASE == 0 && ndx == wanted {
                let hash = self.image.u32(def + 8)?;
                let aux = def.checked_add(usize::try_from(self.image.u32(def + 12)?).ok()?)?;
                let name = usize::try_from(self.image.u32(aux)?).ok()?;
                return Some(hash == elf_hash(self.version) && self.string_is(name, self.version));
            }
            let next = usize::try_from(self.image.u32(def + 16)?).ok()?;
            if next == 0 {
                return Some(false);
            }
            def = def.checked_add(next)?;
        }
        Some(false)
    }

    /// Lookup through `DT_GNU_HASH`: header words `nbuckets, symoffset,
    /// bloom_size, bloom_shift`, a bloom filter of 64-bit words (skipped: it
    /// only speeds up misses), the buckets, then one hash per symbol from
    /// `symoffset` on, the last of each chain marked by its low bit.
    fn via_gnu_hash(&self, table: usize) -> Option<usize> {
        let nbuckets = usize::try_from(self.image.u32(table)?).ok()?;
        let symoffset = usize::try_from(self.image.u32(table + 4)?).ok()?;
        let bloom_size = usize::try_from(self.image.u32(table + 8)?).ok()?;
        if nbuckets == 0 {
            return None;
        }
        let buckets = table
            .checked_add(16)?
            .checked_add(bloom_size.checked_mul(8)?)?;
        let chains = buckets.checked_add(nbuckets.checked_mul(4)?)?;
        let hash = gnu_hash(self.name);
        let bucket = usize::try_from(hash).ok()? % nbuckets;
        let mut index = usize::try_from(self.image.u32(buckets + bucket * 4)?).ok()?;
        if index < symoffset {
            // 0 marks an empty bucket; other small values are malformed.
            return None;
        }
        // Each step reads a new 4-byte word past the last, so the image
        // size bounds the walk.
        loop {
            let word = chains.checked_add((index - symoffset).checked_mul(4)?)?;
            let chain_hash = self.image.u32(word)?;
            if chain_hash | 1 == hash | 1 {
                if let Some(found) = self.check_symbol(index) {
                    return Some(found);
                }
            }
            if chain_hash & 1 == 1 {
                return None;
            }
            index = index.checked_add(1)?;
        }
    }

    /// Lookup through `DT_HASH`: `nbucket, nchain, bucket[nbucket],
    /// chain[nchain]`, chains ending at index 0.
    fn via_sysv_hash(&self, table: usize) -> Option<usize> {
        let w = SYSV_HASH_WORD;
        let nbucket = self.image.sysv_word(table)?;
        let nchain = self.image.sysv_word(table.checked_add(w)?)?;
        if nbucket == 0 {
            return None;
        }
        let buckets = table.checked_add(2 * w)?;
        let chains = buckets.checked_add(nbucket.checked_mul(w)?)?;
        let bucket = usize::try_from(elf_hash(self.name)).ok()? % nbucket;
        let mut index = self.image.sysv_word(buckets + bucket * w)?;
        // A well-formed chain visits each of the `nchain` symbols at most
        // once; a cycle in a malformed one ends here. `nchain` is read from
        // the image, so it is also capped by how many chain words the image
        // can hold: a forged count of 2^32 must not mean 2^32 steps.
        let steps = nchain.min(self.image.0.len() / w);
        for _ in 0..steps {
            if index == 0 || index >= nchain {
                return None;
            }
            if let Some(found) = self.check_symbol(index) {
                return Some(found);
            }
            index = self
                .image
                .sysv_word(chains.checked_add(index.checked_mul(w)?)?)?;
        }
        None
    }
}

/// Finds the function `name` of version `version` in an ELF image laid out
/// as the kernel maps the vDSO (file offset = offset into `image`), and
/// returns the offset of its code within `image`.
///
/// Returns `None` for anything malformed, truncated, of another class, byte
/// order or machine, or when the symbol is not there.
pub(crate) fn lookup(image: &[u8], name: &str, version: &str) -> Option<usize> {
    let bytes = Bytes(image);
    let (load, dynamic_segment) = segments(bytes)?;
    let lookup = Lookup {
        image: bytes,
        load,
        dynamic: dynamic(bytes, load, dynamic_segment)?,
        name: name.as_bytes(),
        version: version.as_bytes(),
    };
    let found = match (lookup.dynamic.gnu_hash, lookup.dynamic.sysv_hash) {
        (Some(table), _) => lookup.via_gnu_hash(table),
        (None, Some(table)) => lookup.via_sysv_hash(table),
        (None, None) => None,
    }?;
    // The code must lie inside the image we were given.
    (found < image.len()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_known_values() {
        // The version node's hash stated in the kernel's linker scripts and
        // in glibc (`VDSO_HASH` for LINUX_2.6).
        assert_eq!(elf_hash(b"LINUX_2.6"), 0x3ae_75f6);
        assert_eq!(elf_hash(b""), 0);
        assert_eq!(gnu_hash(b""), 5381);
        // 5381 * 33 + 'a' (97).
        assert_eq!(gnu_hash(b"a"), 177_670);
    }

    #[test]
    fn garbage_and_truncated_images_are_rejected() {
        assert_eq!(lookup(&[], "__vdso_getrandom", "LINUX_2.6"), None);
        assert_eq!(lookup(b"\x7fELF", "__vdso_getrandom", "LINUX_2.6"), None);
        assert_eq!(lookup(&[0xff; 4096], "__vdso_getrandom", "LINUX_2.6"), None);
        assert_eq!(mapped_len(&[0; 64]), None);
    }

    /// Tests against the vDSO this process really has, copied into a `Vec`
    /// so they can patch it.
    #[cfg(all(secrets_vdso, target_arch = "x86_64"))]
    mod live {
        use super::*;

        const NAME: &str = "__vdso_getrandom";
        const VERSION: &str = "LINUX_2.6";

        /// A copy of this process's vDSO image, read as the backend reads
        /// it, or `None` when the kernel maps none or it has no `getrandom`
        /// (before Linux 6.11).
        fn live_image() -> Option<Vec<u8>> {
            let image = crate::entropy::sys::linux_vdso::live_image()?.to_vec();
            lookup(&image, NAME, VERSION)?;
            Some(image)
        }

        /// Rewrites the first dynamic entry with tag `from` to tag `to`.
        fn retag(image: &mut [u8], from: u64, to: u64) {
            let (_, (offset, size)) = segments(Bytes(image)).unwrap();
            for entry in (offset..offset + size).step_by(DYN_SIZE) {
                let tag = u64::from_ne_bytes(image[entry..entry + 8].try_into().unwrap());
                if tag == from {
                    image[entry..entry + 8].copy_from_slice(&to.to_ne_bytes());
                    return;
                }
            }
            panic!("no dynamic entry with tag {from:#x}");
        }

        /// A tag that no lookup reads.
        const DT_IGNORED: u64 = 0x6fff_f000;

        #[test]
        fn both_hash_tables_find_the_same_function() {
            let Some(image) = live_image() else { return };
            let via_gnu = lookup(&image, NAME, VERSION).unwrap();

            let mut sysv_only = image.clone();
            retag(&mut sysv_only, DT_GNU_HASH, DT_IGNORED);
            assert_eq!(lookup(&sysv_only, NAME, VERSION), Some(via_gnu));

            let mut no_hash = sysv_only;
            retag(&mut no_hash, DT_HASH, DT_IGNORED);
            assert_eq!(lookup(&no_hash, NAME, VERSION), None);
        }

        #[test]
        fn wrong_names_and_versions_are_not_found() {
            let Some(image) = live_image() else { return };
            for (name, version) in [
                ("__vdso_getrandom", "LINUX_2.5"),
                ("__vdso_getrandom", "LINUX_2.6.39"),
                ("__vdso_getrando", "LINUX_2.6"),
                ("__vdso_getrandomx", "LINUX_2.6"),
                ("LINUX_2.6", "LINUX_2.6"), // an OBJECT symbol, not a function
            ] {
                assert_eq!(lookup(&image, name, version), None, "{name}@{version}");
            }
            // The other functions of the same version are found.
            assert!(lookup(&image, "__vdso_clock_gettime", VERSION).is_some());
        }

        #[test]
        fn every_truncation_is_rejected_or_in_bounds() {
            let Some(image) = live_image() else { return };
            for len in 0..image.len() {
                if let Some(found) = lookup(&image[..len], NAME, VERSION) {
                    assert!(found < len);
                }
            }
        }

        /// Random corruptions of several bytes at once, anywhere in the
        /// headers and tables, including huge offsets: never a panic (tests
        /// build with overflow checks), never an offset out of bounds.
        #[test]
        fn random_corruptions_are_handled() {
            let Some(image) = live_image() else { return };
            let tables = image.len().min(0x500);
            let mut noise = vec![0u8; 20_000 * 8];
            crate::entropy::sys::fill(&mut noise).unwrap();
            for round in noise.chunks_exact(8) {
                let mut copy = image.clone();
                // Four corruptions per round: a position and a value each.
                for pair in round.chunks_exact(2) {
                    let at = usize::from(pair[0]) * tables / 256 + usize::from(pair[1]) % 4;
                    copy[at.min(tables - 1)] = pair[1];
                }
                if let Some(found) = lookup(&copy, NAME, VERSION) {
                    assert!(found < copy.len());
                }
            }
        }

        #[test]
        fn every_single_byte_corruption_is_handled() {
            let Some(image) = live_image() else { return };
            let header_and_tables = image.len().min(0x500);
            let mut copy = image.clone();
            for offset in 0..header_and_tables {
                for value in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                    let original = copy[offset];
                    copy[offset] = value;
                    if let Some(found) = lookup(&copy, NAME, VERSION) {
                        assert!(found < copy.len());
                    }
                    copy[offset] = original;
                }
            }
        }
    }
}
