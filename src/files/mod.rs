//! Uploaded files: a vote's attachments, scans of signed paper ballots and written proxies.
//! Kept in the database with their SHA-256, typed by their bytes (never by what the client
//! claims), stripped of embedded metadata such as a photo's location, and served only to those
//! who may see them.
pub mod ops;
pub mod unseal;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{
    entities::file,
    error::{AppError, AppResult},
    msg,
};

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The most pixels a photo or scan may have: 16 megapixels (a 12-megapixel phone photo fits), or
/// 64 MiB once a phone unpacks it to show it. A file declaring more is refused before it is kept.
pub const MAX_IMAGE_PIXELS: u64 = 16 * 1024 * 1024;

#[derive(Serialize, ToSchema, Clone, Debug, sea_orm::FromQueryResult)]
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
/// The views of the files `ids`, in the order given: names and sizes only, the bytes stay in the
/// database.
pub async fn views_of(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<FileView>> {
    let mut views: Vec<FileView> = file::Entity::find()
        .select_only()
        .columns([
            file::Column::Id,
            file::Column::Name,
            file::Column::ContentType,
            file::Column::Size,
            file::Column::Sha256,
        ])
        .filter(file::Column::Id.is_in(ids.iter().copied()))
        .into_model::<FileView>()
        .all(db)
        .await?;
    views.sort_by_key(|f| ids.iter().position(|id| *id == f.id));
    Ok(views)
}

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

/// Check, clean and store an uploaded file of `compound_id`: typed by its bytes (only photos when
/// `photos_only`), stripped of metadata. A bad file is a validation error on the field `file`.
pub async fn store(
    db: &impl ConnectionTrait,
    compound_id: i64,
    uploaded_by: i64,
    name: String,
    body: &[u8],
    photos_only: bool,
) -> AppResult<file::Model> {
    let content_type = match sniff(body) {
        Some(t) if !photos_only || t.starts_with("image/") => t,
        _ if photos_only => return Err(AppError::field("file", msg!("file_not_a_photo"))),
        _ => return Err(AppError::field("file", msg!("file_wrong_type"))),
    };
    let (data, size) = match content_type {
        "image/jpeg" => strip_jpeg_metadata(body).ok_or_else(|| AppError::field("file", msg!("file_jpeg_damaged")))?,
        "image/png" => strip_png_metadata(body).ok_or_else(|| AppError::field("file", msg!("file_png_damaged")))?,
        _ => (body.to_vec(), (0, 0)),
    };
    check_pixels(size)?;
    Ok(file::Entity::insert(file::ActiveModel {
        compound_id: Set(compound_id),
        name: Set(name),
        content_type: Set(content_type.into()),
        size: Set(data.len() as i64),
        sha256: Set(hex::encode(Sha256::digest(&data))),
        data: Set(data),
        uploaded_by: Set(uploaded_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?)
}

/// The `Content-Disposition` of a file shown inline under its own name.
pub fn inline_disposition(name: &str) -> String {
    format!("inline; filename*=UTF-8''{}", percent_encode(name))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Refuse an image larger than [`MAX_IMAGE_PIXELS`], from the width and height it declares.
pub fn check_pixels((width, height): (u32, u32)) -> AppResult<()> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_IMAGE_PIXELS {
        return Err(AppError::field(
            "file",
            msg!(
                "file_too_many_pixels",
                width = width,
                height = height,
                megapixels = format!("{:.1}", pixels as f64 / 1_048_576.0),
                max = MAX_IMAGE_PIXELS >> 20
            ),
        ));
    }
    Ok(())
}

/// Drop a JPEG's APPn metadata segments (Exif with GPS position, XMP, …) except the JFIF header
/// and colour profile, keeping the image itself; with the image's width and height from its frame
/// header. Returns `None` when the file is not a well-formed JPEG.
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Option<(Vec<u8>, (u32, u32))> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..2)?);
    let mut size = None;
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        // Start of scan: the compressed image follows to the end; copy it whole. A scan before
        // any frame header is not an image.
        if marker == 0xDA {
            out.extend_from_slice(&bytes[i..]);
            return Some((out, size?));
        }
        let len = u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]) as usize;
        if len < 2 {
            return None;
        }
        let end = i + 2 + len;
        let segment = bytes.get(i..end)?;
        let payload = &segment[4..];
        // Start of frame (SOF0–SOF15 but DHT, JPG and DAC): precision, height, width.
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let height = u16::from_be_bytes([*payload.get(1)?, *payload.get(2)?]);
            let width = u16::from_be_bytes([*payload.get(3)?, *payload.get(4)?]);
            size = Some((u32::from(width), u32::from(height)));
        }
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

/// Drop a PNG's metadata chunks (eXIf, text chunks, time), keeping the image; with the image's
/// width and height from its header chunk, which must come first.
pub fn strip_png_metadata(bytes: &[u8]) -> Option<(Vec<u8>, (u32, u32))> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..8)?);
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
    let height = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
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
    Some((out, (width, height)))
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
        j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00]);
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
        let (stripped, size) = strip_jpeg_metadata(&jpeg_with_exif()).unwrap();
        assert_eq!(size, (640, 480));
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
        let p = png(4032, 3024, b"Location\0Beijing");
        let (s, size) = strip_png_metadata(&p).unwrap();
        assert_eq!(size, (4032, 3024));
        assert!(!s.windows(7).any(|w| w == b"Beijing"));
        assert!(s.windows(4).any(|w| w == b"IHDR"));
        assert!(s.windows(4).any(|w| w == b"IEND"));
    }

    fn png(width: u32, height: u32, text: &[u8]) -> Vec<u8> {
        let mut header = width.to_be_bytes().to_vec();
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(&b"IHDR"[..], &header[..]), (b"tEXt", text), (b"IEND", b"")] {
            p.extend_from_slice(&(data.len() as u32).to_be_bytes());
            p.extend_from_slice(kind);
            p.extend_from_slice(data);
            p.extend_from_slice(&[0, 0, 0, 0]);
        }
        p
    }

    #[test]
    fn a_photo_of_more_pixels_than_the_bound_is_refused_and_a_phone_photo_is_not() {
        assert!(check_pixels((4032, 3024)).is_ok());
        assert!(check_pixels((4096, 4096)).is_ok());
        assert!(check_pixels((4096, 4097)).is_err());
        assert!(check_pixels((u32::MAX, u32::MAX)).is_err());
        let (_, size) = strip_png_metadata(&png(65_535, 65_535, b"")).unwrap();
        assert!(check_pixels(size).is_err());
    }

    #[test]
    fn a_jpeg_without_a_frame_header_or_a_png_without_ihdr_first_is_refused() {
        assert_eq!(strip_jpeg_metadata(&[0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9]), None);
        let mut p = png(10, 10, b"x");
        p[12..16].copy_from_slice(b"tEXt");
        assert_eq!(strip_png_metadata(&p), None);
    }
}
