//! Uploaded files: a vote's attachments, scans of signed paper ballots and written proxies.
//! Kept in the database with their SHA-256, typed by their bytes (never by what the client
//! claims), stripped of embedded metadata such as a photo's location, and served only to those
//! who may see them.
mod routes;

use serde::Serialize;
use utoipa::ToSchema;

pub use routes::router;

use crate::entities::file;

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Serialize, ToSchema, Clone, sea_orm::FromQueryResult)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

impl From<&file::Model> for FileView {
    fn from(f: &file::Model) -> Self {
        Self {
            id: f.id,
            name: f.name.clone(),
            content_type: f.content_type.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
        }
    }
}

/// The type of a file, from its first bytes: JPEG, PNG or PDF, or nothing we accept.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Drop a JPEG's APPn metadata segments (Exif with GPS position, XMP, …) except the JFIF header
/// and colour profile, keeping the image itself. Returns `None` when the file is not a well-formed
/// JPEG.
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..2)?);
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        // Start of scan: the compressed image follows to the end; copy it whole.
        if marker == 0xDA {
            out.extend_from_slice(&bytes[i..]);
            return Some(out);
        }
        let len = u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]) as usize;
        if len < 2 {
            return None;
        }
        let end = i + 2 + len;
        let segment = bytes.get(i..end)?;
        let payload = &segment[4..];
        let keep = match marker {
            0xE0 => payload.starts_with(b"JFIF\0") || payload.starts_with(b"JFXX\0"),
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xE1 | 0xE3..=0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(segment);
        }
        i = end;
    }
}

/// Drop a PNG's metadata chunks (eXIf, text chunks, time), keeping the image.
pub fn strip_png_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..8)?);
    let mut i = 8;
    while i < bytes.len() {
        let len = u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = bytes.get(i..end)?;
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        i = end;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_exif() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07]);
        j.extend_from_slice(b"JFIF\0");
        j.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x0C]);
        j.extend_from_slice(b"Exif\0\0GPS!");
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
        j
    }

    #[test]
    fn files_are_typed_by_their_bytes() {
        assert_eq!(sniff(&jpeg_with_exif()), Some("image/jpeg"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
    }

    #[test]
    fn exif_is_stripped_from_jpegs_and_the_image_kept() {
        let stripped = strip_jpeg_metadata(&jpeg_with_exif()).unwrap();
        assert!(!stripped.windows(4).any(|w| w == b"Exif"));
        assert!(stripped.windows(4).any(|w| w == b"JFIF"));
        assert!(stripped.ends_with(&[0x11, 0x22, 0xFF, 0xD9]));
    }

    #[test]
    fn a_truncated_or_malformed_jpeg_is_refused() {
        let j = jpeg_with_exif();
        assert_eq!(strip_jpeg_metadata(&j[..9]), None);
        assert_eq!(strip_jpeg_metadata(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 0x00]), None);
    }

    #[test]
    fn png_text_chunks_are_stripped() {
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(&b"IHDR"[..], &b"0123456789abc"[..]), (b"tEXt", b"Location\0Beijing"), (b"IEND", b"")] {
            p.extend_from_slice(&(data.len() as u32).to_be_bytes());
            p.extend_from_slice(kind);
            p.extend_from_slice(data);
            p.extend_from_slice(&[0, 0, 0, 0]);
        }
        let s = strip_png_metadata(&p).unwrap();
        assert!(!s.windows(7).any(|w| w == b"Beijing"));
        assert!(s.windows(4).any(|w| w == b"IHDR"));
        assert!(s.windows(4).any(|w| w == b"IEND"));
    }
}
