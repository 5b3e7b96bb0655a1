//! Shortcuts for the common StartRecord requests.

use super::runtime::SensitiveString;
use super::types::{
    MixConfig, MixInput, MixMode, MixOutputVideoConfig, RecordInputParams, RecordMode,
    StartRecordRequest, StorageParams, Vendor,
};

impl StartRecordRequest {
    /// Records every stream of `room_id` separately (single stream recording, RecordMode 1).
    ///
    /// ```
    /// use zego_cloudrecord::{StartRecordRequest, StorageParams};
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
    /// use zego_cloudrecord::{MixConfig, MixInput, MixOutputVideoConfig, StartRecordRequest, StorageParams};
    ///
    /// let layout = MixConfig::custom_layout(
    ///     "mixed-output",
    ///     MixOutputVideoConfig::landscape_720p(),
    ///     vec![
    ///         MixInput::stream_view("teacher", 0, 0, 640, 720, 1),
    ///         MixInput::stream_view("student", 640, 0, 1280, 720, 1),
    ///     ],
    /// );
    /// let storage = StorageParams::amazon_s3("us-east-1", "recordings", "AKIDEXAMPLE", "secret");
    /// let request = StartRecordRequest::mixed_stream("room-1", layout, storage);
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

    /// A storage service speaking the S3 protocol at `endpoint` (Vendor 10).
    ///
    /// ```
    /// use zego_cloudrecord::StorageParams;
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
}

impl MixOutputVideoConfig {
    /// 1280 × 720 at 15 frames per second and 1.5 Mbps.
    pub fn landscape_720p() -> Self {
        Self::new(1280, 720, 15, 1_500_000)
    }
}

impl MixInput {
    /// A view of `stream_id` with its upper left corner at (`left`, `top`) and its lower right
    /// corner at (`right`, `bottom`); views with a larger `layer` are drawn on top.
    pub fn stream_view(
        stream_id: impl Into<String>,
        left: i64,
        top: i64,
        right: i64,
        bottom: i64,
        layer: i64,
    ) -> Self {
        Self::new(top, left, bottom, right, layer).with_stream_id(stream_id)
    }
}
