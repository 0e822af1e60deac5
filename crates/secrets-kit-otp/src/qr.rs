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

use secrets_kit::{Error, Result};

/// Light modules around the code on every side, as ISO/IEC 18004 asks.
///
/// ```
/// assert_eq!(secrets_kit_otp::qr::QUIET_ZONE, 4);
/// ```
pub const QUIET_ZONE: usize = 4;

/// A QR code's modules: `width` rows of `width`, `true` for dark.
///
/// # Examples
///
/// ```
/// let qr = secrets_kit_otp::qr::QrCode::new(b"hello")?;
/// assert_eq!(qr.width(), 21); // version 1
/// assert!(qr.is_dark(0, 0)); // a finder pattern's corner
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrCode {
    width: usize,
    dark: Vec<bool>,
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
        let dark = code
            .into_colors()
            .into_iter()
            .map(|color| color == qrcode::Color::Dark)
            .collect();
        Ok(QrCode { width, dark })
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
        let pixels = size * scale;
        let mut path = String::new();
        for y in 0..self.width {
            for x in 0..self.width {
                if self.is_dark(x, y) {
                    path.push_str(&format!("M{} {}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE));
                }
            }
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{pixels}\" \
             height=\"{pixels}\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\n\
             <rect width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/>\n\
             <path d=\"{path}\" fill=\"#000000\"/>\n\
             </svg>\n"
        )
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
        let pixels = self.full_width() * scale;
        let side = u32::try_from(pixels)
            .ok()
            .filter(|&side| side <= 65_535)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "a QR image of {pixels} pixels a side is too large; use a smaller scale"
                ))
            })?;
        let mut image = Vec::with_capacity(pixels * pixels);
        for y in 0..pixels {
            for x in 0..pixels {
                let dark = self.dark_with_margin(x / scale, y / scale);
                image.push(if dark { 0u8 } else { 255u8 });
            }
        }
        let mut out = Vec::new();
        let encode_error = |err: png::EncodingError| Error::invalid(format!("PNG encoding: {err}"));
        {
            let mut encoder = png::Encoder::new(&mut out, side, side);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(encode_error)?;
            writer.write_image_data(&image).map_err(encode_error)?;
            writer.finish().map_err(encode_error)?;
        }
        Ok(out)
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
    fn svg_has_one_square_per_dark_module() {
        let qr = QrCode::new(b"hello").unwrap();
        let dark = qr.dark.iter().filter(|&&d| d).count();
        assert_eq!(qr.to_svg(4).matches("h1v1h-1z").count(), dark);
    }
}
