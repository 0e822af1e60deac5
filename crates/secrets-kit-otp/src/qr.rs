//! QR codes as data, and drawn for a terminal, as SVG and as PNG.
//!
//! The `qrcode` crate places the modules (error correction level M, which
//! survives about 15% damage); this module only draws them, always with the
//! quiet zone of 4 light modules that readers need around the code.
//!
//! # Examples
//!
//! ```
//! use secrets_kit_otp::qr::QrCode;
//!
//! let qr = QrCode::new(b"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP")?;
//! let text = qr.to_terminal();
//! assert_eq!(text.lines().count(), (qr.width() + 8).div_ceil(2));
//! # Ok::<(), secrets_kit::Error>(())
//! ```

use std::fmt;
use std::io;

use zeroize::{Zeroize as _, Zeroizing};

use crate::exact_text::exact_string;
use crate::{Error, Result};

/// Light modules around the code on every side, as ISO/IEC 18004 asks.
///
/// ```
/// assert_eq!(secrets_kit_otp::qr::QUIET_ZONE, 4);
/// ```
pub const QUIET_ZONE: usize = 4;

/// A QR code's modules: `width` rows of `width`, `true` for dark.
///
/// The modules encode the data, so they are as secret as it is (an
/// enrolment URI holds the TOTP secret): they are wiped when the code is
/// dropped, and `Debug` shows only the version and width.
///
/// # Examples
///
/// ```
/// let qr = secrets_kit_otp::qr::QrCode::new(b"hello")?;
/// assert_eq!(qr.width(), 21); // version 1
/// assert!(qr.is_dark(0, 0)); // a finder pattern's corner
/// assert_eq!(format!("{qr:?}"), "QrCode { version: 1, width: 21, .. }");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct QrCode {
    width: usize,
    dark: Vec<bool>,
}

impl fmt::Debug for QrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the modules: they encode the data.
        f.debug_struct("QrCode")
            .field("version", &self.version())
            .field("width", &self.width)
            .finish_non_exhaustive()
    }
}

impl Drop for QrCode {
    fn drop(&mut self) {
        self.dark.zeroize();
    }
}

impl QrCode {
    /// The QR code of `data`, at error correction level M.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `data` is too long for any QR code (about 2.3 KB at level M).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(secrets_kit_otp::qr::QrCode::new(vec![b'x'; 10_000]).is_err());
    /// ```
    pub fn new(data: impl AsRef<[u8]>) -> Result<Self> {
        let code = qrcode::QrCode::with_error_correction_level(data.as_ref(), qrcode::EcLevel::M)
            .map_err(|err| {
            Error::invalid(format!(
                "{} bytes do not fit in a QR code: {err}",
                data.as_ref().len()
            ))
        })?;
        let width = code.width();
        let mut colors = code.into_colors();
        let dark = colors
            .iter()
            .map(|&color| color == qrcode::Color::Dark)
            .collect();
        // The `qrcode` crate's copy of the modules is ours now: make it all
        // light before it is freed. `Color` is not `Zeroize`; `black_box`
        // keeps the stores from being removed as dead (best effort, like
        // every wipe in safe code). The crate's own working buffers (the
        // data bits and codewords) are out of reach.
        colors.fill(qrcode::Color::Light);
        std::hint::black_box(&mut colors);
        Ok(QrCode { width, dark })
    }

    /// The QR version, 1 to 40: the width is `17 + 4 * version`.
    ///
    /// ```
    /// let qr = secrets_kit_otp::qr::QrCode::new(b"hi")?;
    /// assert_eq!(qr.version(), 1);
    /// assert_eq!(qr.width(), 17 + 4 * qr.version());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn version(&self) -> usize {
        (self.width - 17) / 4
    }

    /// Modules per side, without the quiet zone.
    ///
    /// ```
    /// assert_eq!(secrets_kit_otp::qr::QrCode::new(b"hi")?.width(), 21);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module in column `x`, row `y` is dark; outside the code
    /// (the quiet zone) every module is light.
    ///
    /// ```
    /// let qr = secrets_kit_otp::qr::QrCode::new(b"hi")?;
    /// assert!(!qr.is_dark(100, 0));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Dark-ness with the quiet zone: `x` and `y` run over
    /// `0..width + 2 * QUIET_ZONE`.
    fn dark_with_margin(&self, x: usize, y: usize) -> bool {
        x >= QUIET_ZONE && y >= QUIET_ZONE && self.is_dark(x - QUIET_ZONE, y - QUIET_ZONE)
    }

    fn full_width(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// The code for a terminal: two module rows per text line, drawn with
    /// the half blocks `█ ▀ ▄` and spaces, quiet zone included.
    ///
    /// The blocks paint the *light* modules, as `qrencode -t UTF8` does:
    /// on a terminal with light text on a dark background the code shows
    /// dark on light, as phone cameras expect.
    ///
    /// ```
    /// let qr = secrets_kit_otp::qr::QrCode::new(b"hi")?;
    /// let text = qr.to_terminal();
    /// // The quiet zone's first line is all full blocks.
    /// assert_eq!(text.lines().next().unwrap(), "█".repeat(29));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn to_terminal(&self) -> String {
        let size = self.full_width();
        let mut text = String::with_capacity(size.div_ceil(2) * (size * 3 + 1));
        for top in (0..size).step_by(2) {
            for x in 0..size {
                let upper_light = !self.dark_with_margin(x, top);
                // Past the last row is light, like the quiet zone.
                let lower_light = top + 1 >= size || !self.dark_with_margin(x, top + 1);
                text.push(match (upper_light, lower_light) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                });
            }
            text.push('\n');
        }
        text
    }

    /// The code as an SVG image, `scale` pixels per module, black on
    /// white, quiet zone included.
    ///
    /// The text is allocated once, at its exact length, so no copy of the
    /// modules is left behind by a growing string.
    ///
    /// ```
    /// let svg = secrets_kit_otp::qr::QrCode::new(b"hi")?.to_svg(8);
    /// assert!(svg.starts_with("<?xml"));
    /// assert!(svg.contains(r#"width="232""#)); // (21 + 8) * 8
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn to_svg(&self, scale: usize) -> String {
        let scale = scale.max(1);
        let size = self.full_width();
        // Exact for any scale: no overflow.
        let pixels = size as u128 * scale as u128;
        let mut svg = exact_string(|out| {
            write!(
                out,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{pixels}\" \
                 height=\"{pixels}\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\n\
                 <rect width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/>\n\
                 <path d=\""
            )?;
            for y in 0..self.width {
                for x in 0..self.width {
                    if self.is_dark(x, y) {
                        write!(out, "M{} {}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE)?;
                    }
                }
            }
            out.write_str("\" fill=\"#000000\"/>\n</svg>\n")
        });
        std::mem::take(&mut *svg)
    }

    /// The code as a PNG image (8-bit grey), `scale` pixels per module,
    /// black on white, quiet zone included.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when the
    /// image would be wider than 65,535 pixels, or the encoder fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let png = secrets_kit_otp::qr::QrCode::new(b"hi")?.to_png(8)?;
    /// assert_eq!(&png[1..4], b"PNG");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn to_png(&self, scale: usize) -> Result<Vec<u8>> {
        let scale = scale.max(1);
        let too_large = || {
            Error::invalid(format!(
                "a QR image of {} modules a side at {scale} pixels each is too large; \
                 the most is 65535 pixels, use a smaller scale",
                self.full_width()
            ))
        };
        let pixels = self
            .full_width()
            .checked_mul(scale)
            .filter(|&pixels| pixels <= 65_535)
            .ok_or_else(too_large)?;
        let side = u32::try_from(pixels).map_err(|_| too_large())?;
        // The raw pixels show the modules: wiped when dropped, and never
        // reallocated (reserved whole, up to 4 GiB, which may fail).
        let mut image = Zeroizing::new(Vec::new());
        image
            .try_reserve_exact(pixels * pixels)
            .map_err(|_| Error::too_large(pixels * pixels, "a QR image"))?;
        for y in 0..pixels {
            for x in 0..pixels {
                let dark = self.dark_with_margin(x / scale, y / scale);
                image.push(if dark { 0u8 } else { 255u8 });
            }
        }
        let mut out = WipeOnGrow::default();
        let encode_error = |err: png::EncodingError| match err {
            png::EncodingError::IoError(io) if io.kind() == io::ErrorKind::OutOfMemory => {
                Error::too_large(pixels * pixels, "a QR image")
            }
            err => Error::invalid(format!("PNG encoding: {err}")),
        };
        {
            let mut encoder = png::Encoder::new(&mut out, side, side);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(encode_error)?;
            writer.write_image_data(&image).map_err(encode_error)?;
            writer.finish().map_err(encode_error)?;
        }
        Ok(std::mem::take(&mut *out.0))
    }
}

/// A byte buffer that, when it must grow, moves to a new allocation itself
/// and wipes the old one, where `Vec` would free it with the bytes in it.
/// (The PNG encoder's own working buffers are out of reach.)
#[derive(Default)]
struct WipeOnGrow(Zeroizing<Vec<u8>>);

impl io::Write for WipeOnGrow {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let needed = self.0.len().saturating_add(data.len());
        if needed > self.0.capacity() {
            let mut larger = Zeroizing::new(Vec::new());
            larger
                .try_reserve_exact(needed.max(2 * self.0.capacity()).max(4096))
                .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
            larger.extend_from_slice(&self.0);
            // The old buffer is wiped as it is dropped.
            self.0 = larger;
        }
        self.0.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the terminal drawing back into modules.
    fn parse_terminal(text: &str, size: usize) -> Vec<bool> {
        let mut dark = vec![false; size * size];
        for (line_index, line) in text.lines().enumerate() {
            for (x, c) in line.chars().enumerate() {
                let (upper, lower) = match c {
                    '█' => (false, false),
                    '▀' => (false, true),
                    '▄' => (true, false),
                    ' ' => (true, true),
                    other => panic!("unexpected {other:?}"),
                };
                dark[2 * line_index * size + x] = upper;
                if 2 * line_index + 1 < size {
                    dark[(2 * line_index + 1) * size + x] = lower;
                }
            }
        }
        dark
    }

    #[test]
    fn the_terminal_drawing_holds_every_module_and_the_quiet_zone() {
        for data in [
            &b"a"[..],
            b"otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP",
        ] {
            let qr = QrCode::new(data).unwrap();
            let size = qr.full_width();
            let text = qr.to_terminal();
            assert!(text.lines().all(|line| line.chars().count() == size));
            let dark = parse_terminal(&text, size);
            for y in 0..size {
                for x in 0..size {
                    assert_eq!(dark[y * size + x], qr.dark_with_margin(x, y), "({x}, {y})");
                }
            }
            // The quiet zone is light all round.
            for i in 0..size {
                for q in 0..QUIET_ZONE {
                    assert!(!qr.dark_with_margin(i, q) && !qr.dark_with_margin(q, i));
                    assert!(!qr.dark_with_margin(i, size - 1 - q));
                    assert!(!qr.dark_with_margin(size - 1 - q, i));
                }
            }
        }
    }

    #[test]
    fn finder_patterns_are_where_the_standard_puts_them() {
        let qr = QrCode::new(b"hello").unwrap();
        let w = qr.width();
        // Top-left, top-right and bottom-left 7x7 squares: dark border,
        // light ring, dark 3x3 centre.
        for (ox, oy) in [(0, 0), (w - 7, 0), (0, w - 7)] {
            for i in 0..7 {
                assert!(qr.is_dark(ox + i, oy) && qr.is_dark(ox + i, oy + 6));
                assert!(qr.is_dark(ox, oy + i) && qr.is_dark(ox + 6, oy + i));
            }
            assert!(!qr.is_dark(ox + 1, oy + 1));
            assert!(qr.is_dark(ox + 3, oy + 3));
        }
    }

    #[test]
    fn debug_shows_no_module() {
        let qr = QrCode::new(b"otpauth://totp/E:a?secret=JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{qr:?}");
        assert_eq!(
            shown,
            format!(
                "QrCode {{ version: {}, width: {}, .. }}",
                qr.version(),
                qr.width()
            )
        );
        assert!(!shown.contains("true") && !shown.contains("false") && !shown.contains('['));
        let pretty = format!("{qr:#?}");
        assert!(
            !pretty.contains("true") && !pretty.contains("dark"),
            "{pretty}"
        );
    }

    #[test]
    fn versions_follow_the_width() {
        assert_eq!(QrCode::new(b"a").unwrap().version(), 1);
        for len in [100usize, 1000, 2000] {
            let qr = QrCode::new(vec![b'a'; len]).unwrap();
            assert_eq!(qr.width(), 17 + 4 * qr.version());
            assert!((2..=40).contains(&qr.version()), "{len}: {}", qr.version());
        }
    }

    #[test]
    fn the_drop_wipe_clears_every_module() {
        let mut qr = QrCode::new(b"hello").unwrap();
        assert!(qr.dark.iter().any(|&d| d));
        let capacity = qr.dark.capacity();
        // What `drop` does, observed before the memory is freed: every
        // module set light (`false`), then the length set to 0 in place.
        qr.dark.zeroize();
        assert!(qr.dark.is_empty());
        assert_eq!(qr.dark.capacity(), capacity, "wiped where it is, not moved");
    }

    /// The SVG is allocated at its exact length (no growth left copies of
    /// the modules behind), for small and large codes and scales.
    #[test]
    fn the_svg_is_allocated_once_at_its_length() {
        for data in [&b"a"[..], &[b'x'; 2000]] {
            let qr = QrCode::new(data).unwrap();
            for scale in [0usize, 1, 8, 1000, usize::MAX] {
                let svg = qr.to_svg(scale);
                assert_eq!(svg.capacity(), svg.len(), "scale {scale}");
                assert!(svg.ends_with("</svg>\n"));
            }
        }
        let huge = QrCode::new(b"a").unwrap().to_svg(usize::MAX);
        let pixels = 29u128 * usize::MAX as u128;
        assert!(huge.contains(&format!("width=\"{pixels}\"")));
    }

    #[test]
    fn the_png_writer_keeps_every_byte_across_growth() {
        use std::io::Write as _;
        let mut out = WipeOnGrow::default();
        let mut expected = Vec::new();
        for size in [1usize, 4095, 1, 10_000, 3, 100_000] {
            let piece: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            out.write_all(&piece).unwrap();
            expected.extend_from_slice(&piece);
        }
        assert_eq!(*out.0, expected);
    }

    #[test]
    fn an_oversized_png_is_an_error() {
        let qr = QrCode::new(b"a").unwrap();
        assert!(qr.to_png(usize::MAX).is_err());
        assert!(qr.to_png(65_535 / 29 + 1).is_err());
        let png = qr.to_png(2).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }

    #[test]
    fn svg_has_one_square_per_dark_module() {
        let qr = QrCode::new(b"hello").unwrap();
        let dark = qr.dark.iter().filter(|&&d| d).count();
        assert_eq!(qr.to_svg(4).matches("h1v1h-1z").count(), dark);
    }
}
