//! Shortcuts for the common requests: single stream and mixed recordings, layout updates,
//! views placed by a named rectangle, whiteboard recording, one constructor per storage
//! vendor, and colours. No helper panics, whatever its input.

use std::fmt;
use std::str::FromStr;

use super::operations;
use super::runtime::SensitiveString;
use super::types::{
    AlibabaCloudVodParams, FillFrame, FrameFillMode, MixConfig, MixInput, MixMode,
    MixOutputVideoConfig, MixOutputWatermarkImageConfig, RecordInputParams, RecordMode,
    StartRecordData, StartRecordRequest, StorageParams, TencentCloudVodParams, UpdateLayoutRequest,
    Vendor, ViewType, Whiteboard,
};
use super::{ApiResponse, Error};

/// A rectangle on the output canvas, in pixels from its upper left corner. The one way this
/// crate takes coordinates: by name, so left and top cannot be swapped unnoticed (and a
/// rectangle whose edges cross is reported by `validate()`). The generated constructors that
/// take four coordinates by position (`MixInput::new`, `MixOutputWatermarkImageConfig::new`)
/// are deprecated in its favour.
///
/// ```
/// use zego_cloudrecord::Rect;
///
/// let area = Rect::at(640, 0, 640, 720);
/// assert_eq!((area.right, area.bottom, area.width()), (1280, 720, 640));
/// // Arithmetic saturates: no input makes a helper panic.
/// assert_eq!(Rect::at(i64::MAX, 0, 10, 10).right, i64::MAX);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rect {
    /// X of the left edge.
    pub left: i64,
    /// Y of the top edge.
    pub top: i64,
    /// X of the right edge.
    pub right: i64,
    /// Y of the bottom edge.
    pub bottom: i64,
}

impl Rect {
    /// The rectangle at (`left`, `top`) that is `width` wide and `height` high. An edge past
    /// the range of `i64` stops at its end (`validate()` then reports it as out of range).
    pub const fn at(left: i64, top: i64, width: i64, height: i64) -> Self {
        Self {
            left,
            top,
            right: left.saturating_add(width),
            bottom: top.saturating_add(height),
        }
    }

    /// The whole canvas of `video`: from (0, 0) to its width and height.
    pub const fn canvas(video: &MixOutputVideoConfig) -> Self {
        Self::at(0, 0, video.width, video.height)
    }

    /// Width in pixels (saturating).
    pub const fn width(&self) -> i64 {
        self.right.saturating_sub(self.left)
    }

    /// Height in pixels (saturating).
    pub const fn height(&self) -> i64 {
        self.bottom.saturating_sub(self.top)
    }

    /// Whether `other` lies inside this rectangle (edges included).
    pub const fn contains(&self, other: &Rect) -> bool {
        other.left >= self.left
            && other.top >= self.top
            && other.right <= self.right
            && other.bottom <= self.bottom
    }
}

impl StartRecordRequest {
    /// Records every stream of `room_id` separately (single stream recording, RecordMode 1).
    ///
    /// ```
    /// use zego_cloudrecord::types::{StartRecordRequest, StorageParams};
    ///
    /// let storage = StorageParams::amazon_s3("us-east-1", "recordings", "AKIDEXAMPLE", "secret");
    /// let request = StartRecordRequest::single_stream("room-1", storage);
    /// assert!(request.validate().is_ok());
    /// ```
    pub fn single_stream(room_id: impl Into<String>, storage: StorageParams) -> Self {
        Self::new(
            room_id,
            RecordInputParams::new(RecordMode::SingleStream),
            storage,
        )
    }

    /// Mixes the room's streams into one recording (stream mixing recording, RecordMode 2).
    ///
    /// ```
    /// use zego_cloudrecord::types::{MixConfig, MixInput, MixOutputVideoConfig, StartRecordRequest, StorageParams};
    /// use zego_cloudrecord::Rect;
    ///
    /// let layout = MixConfig::custom_layout(
    ///     "mixed-output",
    ///     MixOutputVideoConfig::landscape_720p(),
    ///     vec![
    ///         MixInput::stream_view("teacher", Rect::at(0, 0, 640, 720), 1),
    ///         MixInput::stream_view("student", Rect::at(640, 0, 640, 720), 1),
    ///     ],
    /// );
    /// let storage = StorageParams::amazon_s3("us-east-1", "recordings", "AKIDEXAMPLE", "secret");
    /// let request = StartRecordRequest::mixed_stream("room-1", layout, storage)
    ///     .with_record_input_params_adjusted(|input| input.with_max_idle_time(120));
    /// assert!(request.validate().is_ok());
    /// ```
    pub fn mixed_stream(
        room_id: impl Into<String>,
        mix_config: MixConfig,
        storage: StorageParams,
    ) -> Self {
        let input = RecordInputParams::new(RecordMode::MixedStream).with_mix_config(mix_config);
        Self::new(room_id, input, storage)
    }

    /// A mixed recording of the room's streams and its whiteboard: `mix_config`'s layout
    /// should hold a [`MixInput::whiteboard_view`].
    pub fn mixed_with_whiteboard(
        room_id: impl Into<String>,
        mix_config: MixConfig,
        whiteboard: Whiteboard,
        storage: StorageParams,
    ) -> Self {
        Self::mixed_stream(room_id, mix_config, storage)
            .with_record_input_params_adjusted(|input| input.with_whiteboard_recording(whiteboard))
    }

    /// Changes the input parameters of a request (built by a helper, say) in a chain.
    #[must_use]
    pub fn with_record_input_params_adjusted(
        mut self,
        adjust: impl FnOnce(RecordInputParams) -> RecordInputParams,
    ) -> Self {
        self.record_input_params = adjust(self.record_input_params);
        self
    }
}

impl RecordInputParams {
    /// Records `whiteboard`: sets `Whiteboard` and turns `HasWhiteboard` on, which the service
    /// needs before it records any whiteboard.
    #[must_use]
    pub fn with_whiteboard_recording(self, whiteboard: Whiteboard) -> Self {
        self.with_has_whiteboard(true)
            .with_whiteboard(vec![whiteboard])
    }
}

/// The new task's id from a StartRecord answer. A trait, because the response type is the
/// shared runtime's; `use zego_cloudrecord::StartRecordResponseExt` to call it.
pub trait StartRecordResponseExt {
    /// The new task's id.
    ///
    /// # Errors
    /// [`Error::MissingInResponse`](zego_server_runtime::Error::MissingInResponse) naming the
    /// RequestId when a successful answer carries none: the documentation promises only Code,
    /// Message and RequestId, and the task may have started all the same.
    fn task_id(&self) -> Result<&str, Error>;
}

impl StartRecordResponseExt for ApiResponse<StartRecordData> {
    fn task_id(&self) -> Result<&str, Error> {
        self.data
            .task_id
            .as_deref()
            .ok_or_else(|| Error::MissingInResponse {
                action: operations::START_RECORD.action,
                path: "Data.TaskId",
                request_id: self.request_id.clone(),
            })
    }
}

/// UpdateLayout requests for each layout mode. The custom layout sends its MixMode with the
/// views: views sent without MixMode are an advisory finding (`layout-views-without-mix-mode`),
/// since the documentation does not say whether the service then keeps the task's mode or
/// falls back to equal division, where views do nothing.
///
/// ```
/// use zego_cloudrecord::runtime::Validate;
/// use zego_cloudrecord::types::{MixInput, MixMode, UpdateLayoutRequest};
/// use zego_cloudrecord::Rect;
///
/// let request = UpdateLayoutRequest::custom_layout(
///     "task-1",
///     vec![MixInput::stream_view("teacher", Rect::at(0, 0, 1280, 720), 1)],
/// );
/// assert_eq!(request.mix_mode, Some(MixMode::Custom));
/// assert!(request.findings().is_empty());
/// ```
impl UpdateLayoutRequest {
    /// A custom layout (MixMode 1) of `views`.
    pub fn custom_layout(task_id: impl Into<String>, views: Vec<MixInput>) -> Self {
        Self::new(task_id)
            .with_mix_mode(MixMode::Custom)
            .with_mix_input_list(views)
    }

    /// The streams in equal parts of the canvas (MixMode 2).
    pub fn equal_division(task_id: impl Into<String>) -> Self {
        Self::new(task_id).with_mix_mode(MixMode::EqualDivision)
    }

    /// The horizontal layout (MixMode 3); `with_mix_max_resolution_stream_id` picks the
    /// stream shown largest.
    pub fn horizontal(task_id: impl Into<String>) -> Self {
        Self::new(task_id).with_mix_mode(MixMode::Horizontal)
    }

    /// The vertical layout (MixMode 4); `with_mix_max_resolution_stream_id` picks the stream
    /// shown largest.
    pub fn vertical(task_id: impl Into<String>) -> Self {
        Self::new(task_id).with_mix_mode(MixMode::Vertical)
    }

    /// The floating layout (MixMode 5); `with_mix_max_resolution_stream_id` picks the stream
    /// shown largest.
    pub fn floating(task_id: impl Into<String>) -> Self {
        Self::new(task_id).with_mix_mode(MixMode::Floating)
    }
}

impl StorageParams {
    /// Amazon S3 (Vendor 1).
    pub fn amazon_s3(
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::object_storage(
            Vendor::AmazonS3,
            region,
            bucket,
            access_key_id,
            access_key_secret,
        )
    }

    /// Alibaba Cloud OSS (Vendor 2).
    pub fn alibaba_cloud_oss(
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::object_storage(
            Vendor::AlibabaCloudOss,
            region,
            bucket,
            access_key_id,
            access_key_secret,
        )
    }

    /// Tencent Cloud COS (Vendor 3).
    pub fn tencent_cloud_cos(
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::object_storage(
            Vendor::TencentCloudCos,
            region,
            bucket,
            access_key_id,
            access_key_secret,
        )
    }

    /// Qiniu Cloud Kodo (Vendor 4).
    pub fn qiniu_cloud_kodo(
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::object_storage(
            Vendor::QiniuCloudKodo,
            region,
            bucket,
            access_key_id,
            access_key_secret,
        )
    }

    /// Alibaba Cloud VOD (Vendor 5). It takes MP4 and FLV files only.
    pub fn alibaba_cloud_vod(params: AlibabaCloudVodParams) -> Self {
        Self::new(Vendor::AlibabaCloudVod).with_alibaba_cloud_vod_params(params)
    }

    /// Tencent Cloud VOD (Vendor 6). It takes MP4, FLV, JPG and MP3 files only.
    pub fn tencent_cloud_vod(params: TencentCloudVodParams) -> Self {
        Self::new(Vendor::TencentCloudVod).with_tencent_cloud_vod_params(params)
    }

    /// Huawei Cloud OBS (Vendor 7).
    pub fn huawei_cloud_obs(
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::object_storage(
            Vendor::HuaweiCloudObs,
            region,
            bucket,
            access_key_id,
            access_key_secret,
        )
    }

    /// Google Cloud Storage (Vendor 8), which takes no region.
    pub fn google_cloud_storage(
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::new(Vendor::GoogleCloudStorage)
            .with_bucket(bucket)
            .with_access_key_id(access_key_id)
            .with_access_key_secret(access_key_secret)
    }

    /// China Mobile Cloud EOS (Vendor 9).
    pub fn china_mobile_cloud_eos(
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::object_storage(
            Vendor::ChinaMobileCloudEos,
            region,
            bucket,
            access_key_id,
            access_key_secret,
        )
    }

    /// A storage service speaking the S3 protocol at `endpoint` (Vendor 10).
    ///
    /// ```
    /// use zego_cloudrecord::types::StorageParams;
    ///
    /// let storage = StorageParams::s3_compatible("https://s3.example.com", "region", "bucket", "key", "secret");
    /// assert!(storage.validate().is_ok());
    /// ```
    pub fn s3_compatible(
        endpoint: impl Into<String>,
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::object_storage(
            Vendor::S3Compatible,
            region,
            bucket,
            access_key_id,
            access_key_secret,
        )
        .with_end_point(endpoint)
    }

    /// Any object storage that takes a region, bucket and key pair (Vendor 1, 2, 3, 4, 7, 9
    /// or 10; Vendor 10 also needs [`StorageParams::with_end_point`]).
    pub fn object_storage(
        vendor: Vendor,
        region: impl Into<String>,
        bucket: impl Into<String>,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SensitiveString>,
    ) -> Self {
        Self::new(vendor)
            .with_region(region)
            .with_bucket(bucket)
            .with_access_key_id(access_key_id)
            .with_access_key_secret(access_key_secret)
    }
}

impl MixConfig {
    /// A custom layout (MixMode 1) of `views` on a canvas described by `video`.
    pub fn custom_layout(
        output_stream_id: impl Into<String>,
        video: MixOutputVideoConfig,
        views: Vec<MixInput>,
    ) -> Self {
        Self::new(output_stream_id)
            .with_mix_mode(MixMode::Custom)
            .with_mix_output_video_config(video)
            .with_mix_input_list(views)
    }

    /// Paints the canvas behind the views in `colour`.
    #[must_use]
    pub fn with_background_colour(self, colour: Colour) -> Self {
        self.with_mix_output_background_color(colour.wire_value())
    }
}

impl MixOutputVideoConfig {
    /// 1280 × 720 at 15 frames per second and 1.5 Mbps.
    pub fn landscape_720p() -> Self {
        Self::new(1280, 720, 15, 1_500_000)
    }
}

impl MixInput {
    /// A view covering `area`, drawn above the views of a smaller `layer`; set what it shows
    /// with `with_stream_id` or `with_view_type`. The by-name form of the deprecated
    /// positional `MixInput::new`.
    pub fn covering(area: Rect, layer: i64) -> Self {
        // The one call of the positional constructor, with each coordinate named.
        #[allow(deprecated)]
        Self::new(area.top, area.left, area.bottom, area.right, layer)
    }

    /// A view of `stream_id` covering `area`; views with a larger `layer` are drawn on top.
    pub fn stream_view(stream_id: impl Into<String>, area: Rect, layer: i64) -> Self {
        Self::covering(area, layer).with_stream_id(stream_id)
    }

    /// The view that shows the whiteboard (ViewType 2), covering `area`. A layout holds at
    /// most one, and the task must record a whiteboard
    /// ([`RecordInputParams::with_whiteboard_recording`]).
    pub fn whiteboard_view(area: Rect, layer: i64) -> Self {
        Self::covering(area, layer).with_view_type(ViewType::Whiteboard)
    }

    /// The area the view covers.
    pub fn area(&self) -> Rect {
        Rect {
            left: self.left,
            top: self.top,
            right: self.right,
            bottom: self.bottom,
        }
    }
}

impl MixOutputWatermarkImageConfig {
    /// An image watermark covering `area` of the canvas. The by-name form of the deprecated
    /// positional `MixOutputWatermarkImageConfig::new`.
    pub fn covering(area: Rect) -> Self {
        // The one call of the positional constructor, with each coordinate named.
        #[allow(deprecated)]
        Self::new(area.left, area.top, area.right, area.bottom)
    }

    /// The area the watermark covers.
    pub fn area(&self) -> Rect {
        Rect {
            left: self.left,
            top: self.top,
            right: self.right,
            bottom: self.bottom,
        }
    }
}

impl FillFrame {
    /// Fills the frames of a stream whose camera is off with `colour` (FrameFillMode 2).
    #[must_use]
    pub fn with_fill_colour(self, colour: Colour) -> Self {
        self.with_frame_fill_mode(FrameFillMode::Color)
            .with_frame_fill_color(colour.wire_value())
    }
}

impl Whiteboard {
    /// Fills the whiteboard's background with `colour`.
    #[must_use]
    pub fn with_background_colour(self, colour: Colour) -> Self {
        self.with_background_color(colour.wire_value())
    }
}

/// A colour for the API's colour fields (`FrameFillColor`, `BackgroundColor`,
/// `MixOutputBackgroundColor`).
///
/// The documentation types them as int32 holding 0xRRGGBB00: red, green and blue in the three
/// high bytes, the low byte 0. Half of all colours (red 0x80 and up, white among them) have
/// the sign bit set, and the documentation does not say how to send them. This crate sends
/// the bit pattern as the signed 32-bit integer it is (two's complement: white is
/// -256), because the field is an int32 and a number above 2147483647 would not fit the
/// service's int32. [`Colour::wire_value`] gives that number; nobody needs to compute it.
///
/// ```
/// use zego_cloudrecord::{rgb, Colour};
///
/// assert_eq!(rgb(255, 255, 255).wire_value(), 0xFFFF_FF00_u32 as i32);
/// assert_eq!("#1E90FF".parse::<Colour>(), Ok(rgb(0x1E, 0x90, 0xFF)));
/// assert_eq!(Colour::from_wire_value(rgb(1, 2, 3).wire_value()), rgb(1, 2, 3));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Colour {
    /// Red.
    pub red: u8,
    /// Green.
    pub green: u8,
    /// Blue.
    pub blue: u8,
}

/// The colour with these red, green and blue values.
pub const fn rgb(red: u8, green: u8, blue: u8) -> Colour {
    Colour { red, green, blue }
}

impl Colour {
    /// White.
    pub const WHITE: Self = rgb(255, 255, 255);
    /// Black.
    pub const BLACK: Self = rgb(0, 0, 0);

    /// The value sent on the wire: 0xRRGGBB00 as a signed 32-bit integer.
    pub const fn wire_value(self) -> i32 {
        let bits = (self.red as u32) << 24 | (self.green as u32) << 16 | (self.blue as u32) << 8;
        i32::from_be_bytes(bits.to_be_bytes())
    }

    /// The colour of a wire value (its low byte, always 0 in the documentation, is ignored).
    pub const fn from_wire_value(value: i32) -> Self {
        let [red, green, blue, _] = value.to_be_bytes();
        rgb(red, green, blue)
    }
}

impl From<Colour> for i32 {
    fn from(colour: Colour) -> Self {
        colour.wire_value()
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.red, self.green, self.blue)
    }
}

/// A colour that is not written `#RRGGBB` (or `RRGGBB`) in hexadecimal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColourError {
    text: String,
}

impl fmt::Display for ColourError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a colour written #RRGGBB", self.text)
    }
}

impl std::error::Error for ColourError {}

impl FromStr for Colour {
    type Err = ColourError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || ColourError {
            text: text.to_owned(),
        };
        let digits = text.strip_prefix('#').unwrap_or(text);
        if digits.len() != 6 || !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(error());
        }
        let channel = |at: usize| u8::from_str_radix(&digits[at..at + 2], 16).map_err(|_| error());
        Ok(rgb(channel(0)?, channel(2)?, channel(4)?))
    }
}
