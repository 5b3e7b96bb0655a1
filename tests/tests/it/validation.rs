//! The generated `validate()` of the real StartRecord types: every constraint and every
//! cross-field rule of the spec, all violations at once, each with its field path.

use tests::support::{mixed_request, single_stream_request, storage, whiteboard_request};
use zego_cloudrecord::runtime::{FieldPath, Validate};
use zego_cloudrecord::types::{
    MixConfig, MixInput, MixMode, MixOutputVideoConfig, MixOutputWatermarkImageConfig,
    OutputFileFormat, RecordInputParams, RecordMode, RecordOutputParams, StartRecordRequest,
    StorageParams, StreamType, Vendor, ViewType, Whiteboard,
};
use zego_cloudrecord::Rect;

/// `(path, rule)` of every violation, in order.
/// `(path, rule)` of every finding, refused and advisory alike, in order.
fn violations(request: &impl Validate) -> Vec<(String, &'static str)> {
    request
        .findings()
        .iter()
        .map(|v| (v.path.clone(), v.rule))
        .collect()
}

fn pairs(expected: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    expected
        .iter()
        .map(|(path, rule)| ((*path).to_owned(), *rule))
        .collect()
}

fn mixed_with(mix: MixConfig) -> StartRecordRequest {
    StartRecordRequest::mixed_stream("room", mix, storage(Vendor::AmazonS3))
}

#[test]
fn common_requests_are_valid() {
    for request in [
        single_stream_request(),
        mixed_request(),
        whiteboard_request(),
    ] {
        assert_eq!(violations(&request), vec![], "{request:?}");
    }
    for value in 1..=10 {
        let vendor = Vendor::from_wire_value(value);
        let request = StartRecordRequest::single_stream("room", storage(vendor));
        assert_eq!(violations(&request), vec![], "vendor {value}");
    }
}

#[test]
fn ranges_are_enforced_with_full_paths() {
    let views = vec![
        MixInput::stream_view(
            "a",
            Rect {
                left: 0,
                top: 0,
                right: 10,
                bottom: 10,
            },
            1,
        ),
        MixInput::stream_view(
            "b",
            Rect {
                left: 0,
                top: 0,
                right: 10,
                bottom: 10,
            },
            1,
        ),
        MixInput::covering(
            Rect {
                top: 2000,
                left: 0,
                bottom: 10,
                right: 1921,
            },
            1,
        ),
    ];
    let mix = MixConfig::custom_layout(
        "out",
        MixOutputVideoConfig::new(1280, 720, 31, 1_000_000),
        views,
    );
    let mut request = mixed_with(mix);
    request.record_input_params.max_idle_time = Some(4);
    request.record_input_params.max_record_time = Some(86_401);
    request.record_output_params = Some(
        RecordOutputParams::default()
            .with_snapshot_interval(3600)
            .with_fragment_seconds(1),
    );
    assert_eq!(
        violations(&request),
        pairs(&[
            ("RecordInputParams.MaxIdleTime", "minimum"),
            ("RecordInputParams.MixConfig.MixInputList[2].Top", "maximum"),
            (
                "RecordInputParams.MixConfig.MixInputList[2].Right",
                "maximum"
            ),
            (
                "RecordInputParams.MixConfig.MixInputList[2].Top",
                "view-top-not-below-bottom"
            ),
            (
                "RecordInputParams.MixConfig.MixOutputVideoConfig.Fps",
                "maximum"
            ),
            (
                "RecordInputParams.MixConfig.MixInputList[2].Right",
                "views-within-canvas-width"
            ),
            (
                "RecordInputParams.MaxRecordTime",
                "max-record-time-beyond-24-hours"
            ),
            ("RecordOutputParams.FragmentSeconds", "minimum"),
        ])
    );
}

#[test]
fn every_violation_is_reported_at_once_and_reads_well() {
    let input = RecordInputParams::new(RecordMode::MixedStream)
        .with_has_whiteboard(true)
        .with_max_idle_time(1);
    let request =
        StartRecordRequest::new("room", input, StorageParams::new(Vendor::AlibabaCloudVod));
    let error = request.validate().expect_err("invalid");
    assert_eq!(error.violations().len(), 4, "{error}");
    let text = error.to_string();
    assert!(
        text.starts_with(
            "4 problems:\n  - RecordInputParams.MaxIdleTime: must be at least 5, got 1 [minimum]\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("RecordInputParams.MixConfig: MixConfig is required when RecordMode is 2"),
        "{text}"
    );
    assert!(text.contains("[alibaba-vod-params]"), "{text}");
}

#[test]
fn unknown_enum_values_are_not_allowed_in_requests() {
    let input =
        RecordInputParams::new(RecordMode::Unknown(3)).with_stream_type(StreamType::Unknown(0));
    let request = StartRecordRequest::new("room", input, StorageParams::new(Vendor::Unknown(11)));
    let error = request.validate().expect_err("invalid");
    let messages: Vec<String> = error.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "RecordInputParams.RecordMode: must be one of 1 (SingleStream), 2 (MixedStream), got 3 [enum]",
            "RecordInputParams.StreamType: must be one of 1 (AudioOnly), 2 (VideoOnly), 3 (AudioAndVideo), 4 (AudioAndVideoSeparate), got 0 [enum]",
            "StorageParams.Vendor: must be one of 1 (AmazonS3), 2 (AlibabaCloudOss), 3 (TencentCloudCos), 4 (QiniuCloudKodo), 5 (AlibabaCloudVod), 6 (TencentCloudVod), 7 (HuaweiCloudObs), 8 (GoogleCloudStorage), 9 (ChinaMobileCloudEos), 10 (S3Compatible), got 11 [enum]",
        ]
    );
}

// One test per cross-field rule of the spec (`x-zego-rules`).

#[test]
fn rule_mix_config_required_for_mixed_mode() {
    let request = StartRecordRequest::new(
        "r",
        RecordInputParams::new(RecordMode::MixedStream),
        storage(Vendor::AmazonS3),
    );
    assert_eq!(
        violations(&request),
        pairs(&[(
            "RecordInputParams.MixConfig",
            "mix-config-required-for-mixed-mode"
        )])
    );
}

#[test]
fn rule_whiteboard_required_when_enabled() {
    let input = RecordInputParams::new(RecordMode::SingleStream).with_has_whiteboard(true);
    let missing = StartRecordRequest::new("r", input.clone(), storage(Vendor::AmazonS3));
    let empty = StartRecordRequest::new(
        "r",
        input.with_whiteboard(vec![]),
        storage(Vendor::AmazonS3),
    );
    // The rule says the list must not be empty, and checks that it is not.
    assert_eq!(
        violations(&empty),
        pairs(&[(
            "RecordInputParams.Whiteboard",
            "whiteboard-required-when-enabled"
        )])
    );
    assert_eq!(
        violations(&missing),
        pairs(&[(
            "RecordInputParams.Whiteboard",
            "whiteboard-required-when-enabled"
        )])
    );
}

#[test]
fn rule_mix_video_config_required_for_video_including_the_default_stream_type() {
    let mix = MixConfig::new("out");
    assert_eq!(
        violations(&mixed_with(mix.clone())),
        pairs(&[(
            "RecordInputParams.MixConfig.MixOutputVideoConfig",
            "mix-video-config-required-for-video"
        )])
    );
    let mut audio_only = mixed_with(mix);
    audio_only.record_input_params.stream_type = Some(StreamType::AudioOnly);
    assert_eq!(violations(&audio_only), vec![]);
}

#[test]
fn rule_no_whiteboard_in_audio_only_mix() {
    let mut request = mixed_request();
    let input = &mut request.record_input_params;
    input.stream_type = Some(StreamType::AudioOnly);
    input.has_whiteboard = Some(true);
    input.whiteboard = Some(vec![Whiteboard::new(4, 3)]);
    assert_eq!(
        violations(&request),
        pairs(&[(
            "RecordInputParams.HasWhiteboard",
            "no-whiteboard-in-audio-only-mix"
        )])
    );
}

#[test]
fn rule_whiteboard_view_needs_whiteboard() {
    let view = MixInput::covering(
        Rect {
            top: 0,
            left: 0,
            bottom: 100,
            right: 100,
        },
        1,
    )
    .with_view_type(ViewType::Whiteboard);
    let mix = MixConfig::custom_layout("out", MixOutputVideoConfig::landscape_720p(), vec![view]);
    assert_eq!(
        violations(&mixed_with(mix)),
        pairs(&[(
            "RecordInputParams.HasWhiteboard",
            "whiteboard-view-needs-whiteboard"
        )])
    );
}

#[test]
fn rule_mix_input_list_required_for_custom_layout() {
    let mix = MixConfig::new("out")
        .with_mix_mode(MixMode::Custom)
        .with_mix_output_video_config(MixOutputVideoConfig::landscape_720p());
    assert_eq!(
        violations(&mixed_with(mix)),
        pairs(&[(
            "RecordInputParams.MixConfig.MixInputList",
            "mix-input-list-required-for-custom-layout"
        )])
    );
}

#[test]
fn rule_single_whiteboard_view() {
    let view = MixInput::covering(
        Rect {
            top: 0,
            left: 0,
            bottom: 100,
            right: 100,
        },
        1,
    )
    .with_view_type(ViewType::Whiteboard);
    let mix = MixConfig::custom_layout(
        "out",
        MixOutputVideoConfig::landscape_720p(),
        vec![view.clone(), view],
    );
    let mut request = mixed_with(mix);
    request.record_input_params.has_whiteboard = Some(true);
    request.record_input_params.whiteboard = Some(vec![Whiteboard::new(16, 9)]);
    assert_eq!(
        violations(&request),
        pairs(&[(
            "RecordInputParams.MixConfig.MixInputList",
            "single-whiteboard-view"
        )])
    );
}

#[test]
fn rule_output_resolution_limit() {
    let mix = MixConfig::new("out")
        .with_mix_output_video_config(MixOutputVideoConfig::new(1920, 1200, 15, 1));
    assert_eq!(
        violations(&mixed_with(mix)),
        pairs(&[(
            "RecordInputParams.MixConfig.MixOutputVideoConfig",
            "output-resolution-limit"
        )])
    );
    let full_hd = MixConfig::new("out")
        .with_mix_output_video_config(MixOutputVideoConfig::new(1920, 1080, 15, 1));
    assert_eq!(violations(&mixed_with(full_hd)), vec![]);
}

#[test]
fn rules_watermark_corners_and_canvas() {
    let watermark = MixOutputWatermarkImageConfig::covering(Rect {
        left: 500,
        top: 400,
        right: 1300,
        bottom: 300,
    });
    let mix = MixConfig::new("out")
        .with_mix_output_video_config(MixOutputVideoConfig::landscape_720p())
        .with_mix_output_watermark_image_config(watermark);
    assert_eq!(
        violations(&mixed_with(mix)),
        pairs(&[
            (
                "RecordInputParams.MixConfig.MixOutputWatermarkImageConfig.Top",
                "watermark-top-not-past-bottom"
            ),
            (
                "RecordInputParams.MixConfig.MixOutputWatermarkImageConfig.Right",
                "watermark-within-canvas-width"
            ),
        ])
    );
    let too_low = MixConfig::new("out")
        .with_mix_output_video_config(MixOutputVideoConfig::landscape_720p())
        .with_mix_output_watermark_image_config(MixOutputWatermarkImageConfig::covering(Rect {
            left: 600,
            top: 0,
            right: 500,
            bottom: 800,
        }));
    assert_eq!(
        violations(&mixed_with(too_low)),
        pairs(&[
            (
                "RecordInputParams.MixConfig.MixOutputWatermarkImageConfig.Left",
                "watermark-left-not-past-right"
            ),
            (
                "RecordInputParams.MixConfig.MixOutputWatermarkImageConfig.Bottom",
                "watermark-within-canvas-height"
            ),
        ])
    );
}

#[test]
fn rules_storage_vendor_requirements() {
    let expected: [(i64, &[(&str, &str)]); 4] = [
        (
            1,
            &[
                ("StorageParams.Region", "object-storage-credentials"),
                ("StorageParams.Bucket", "object-storage-credentials"),
                ("StorageParams.AccessKeyId", "object-storage-credentials"),
                (
                    "StorageParams.AccessKeySecret",
                    "object-storage-credentials",
                ),
            ],
        ),
        (
            5,
            &[("StorageParams.AlibabaCloudVodParams", "alibaba-vod-params")],
        ),
        (
            6,
            &[("StorageParams.TencentCloudVodParams", "tencent-vod-params")],
        ),
        (
            8,
            &[
                ("StorageParams.Bucket", "google-cloud-storage-credentials"),
                (
                    "StorageParams.AccessKeyId",
                    "google-cloud-storage-credentials",
                ),
                (
                    "StorageParams.AccessKeySecret",
                    "google-cloud-storage-credentials",
                ),
            ],
        ),
    ];
    for (vendor, rules) in expected {
        let request = StartRecordRequest::single_stream(
            "r",
            StorageParams::new(Vendor::from_wire_value(vendor)),
        );
        assert_eq!(violations(&request), pairs(rules), "vendor {vendor}");
    }
    let s3_compatible =
        StorageParams::object_storage(Vendor::S3Compatible, "region", "bucket", "id", "secret");
    let request = StartRecordRequest::single_stream("r", s3_compatible);
    assert_eq!(
        violations(&request),
        pairs(&[("StorageParams.EndPoint", "s3-compatible-endpoint")])
    );
}

#[test]
fn rules_vod_output_formats() {
    let hls = RecordOutputParams::default().with_output_file_format(OutputFileFormat::Hls);
    let alibaba = StartRecordRequest::single_stream("r", storage(Vendor::AlibabaCloudVod))
        .with_record_output_params(hls.clone());
    assert_eq!(
        violations(&alibaba),
        pairs(&[(
            "RecordOutputParams.OutputFileFormat",
            "alibaba-vod-output-format"
        )])
    );
    let tencent = StartRecordRequest::single_stream("r", storage(Vendor::TencentCloudVod))
        .with_record_output_params(hls);
    assert_eq!(
        violations(&tencent),
        pairs(&[(
            "RecordOutputParams.OutputFileFormat",
            "tencent-vod-output-format"
        )])
    );
    let jpg = RecordOutputParams::default().with_output_file_format(OutputFileFormat::Jpg);
    let tencent_jpg = StartRecordRequest::single_stream("r", storage(Vendor::TencentCloudVod))
        .with_record_output_params(jpg);
    assert_eq!(violations(&tencent_jpg), vec![]);
    // Without RecordOutputParams the default format (mp4) applies, which both VODs accept.
    assert_eq!(
        violations(&StartRecordRequest::single_stream(
            "r",
            storage(Vendor::AlibabaCloudVod)
        )),
        vec![]
    );
}

#[test]
fn rules_views_within_canvas() {
    let canvas = MixOutputVideoConfig::landscape_720p(); // 1280 x 720
    let inside = MixInput::stream_view("a", Rect::at(0, 0, 1280, 720), 1);
    let too_wide = MixInput::stream_view("b", Rect::at(640, 0, 700, 720), 1);
    let too_large = MixInput::stream_view("c", Rect::at(0, 0, 1920, 1080), 1);
    let mix = MixConfig::custom_layout("out", canvas, vec![inside, too_wide, too_large]);
    assert_eq!(
        violations(&mixed_with(mix)),
        pairs(&[
            (
                "RecordInputParams.MixConfig.MixInputList[1].Right",
                "views-within-canvas-width"
            ),
            (
                "RecordInputParams.MixConfig.MixInputList[2].Right",
                "views-within-canvas-width"
            ),
            (
                "RecordInputParams.MixConfig.MixInputList[2].Bottom",
                "views-within-canvas-height"
            ),
        ])
    );
}

#[test]
fn rule_whiteboard_needs_whiteboard_recording() {
    let whiteboard = Whiteboard::new(16, 9);
    let forgotten = StartRecordRequest::single_stream("r", storage(Vendor::AmazonS3))
        .with_record_input_params_adjusted(|input| input.with_whiteboard(vec![whiteboard.clone()]));
    assert_eq!(
        violations(&forgotten),
        pairs(&[(
            "RecordInputParams.HasWhiteboard",
            "whiteboard-needs-whiteboard-recording"
        )])
    );
    assert_eq!(
        forgotten.validate(),
        Ok(()),
        "advisory: sent, with a warning"
    );
    let both = StartRecordRequest::single_stream("r", storage(Vendor::AmazonS3))
        .with_record_input_params_adjusted(|input| input.with_whiteboard_recording(whiteboard));
    assert_eq!(violations(&both), vec![]);
}

#[test]
fn rule_messages_name_the_enum_values_the_caller_wrote() {
    let request = StartRecordRequest::single_stream("r", StorageParams::new(Vendor::AmazonS3));
    let error = request.validate().expect_err("no credentials");
    assert!(
        error.violations()[0]
            .message
            .ends_with("(Vendor is AmazonS3)"),
        "{error}"
    );
}

#[test]
fn advisory_rules_are_findings_not_errors() {
    // 48 hours: allowed for accounts whose limit ZEGOCLOUD raised, so only advisory.
    let mut request = single_stream_request();
    request.record_input_params.max_record_time = Some(172_800);
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(
        violations(&request),
        pairs(&[(
            "RecordInputParams.MaxRecordTime",
            "max-record-time-beyond-24-hours"
        )])
    );
    assert!(request.findings()[0].advisory);
    request.record_input_params.max_record_time = Some(172_801);
    let error = request.validate().expect_err("beyond any account's limit");
    assert_eq!(error.violations()[0].rule, "maximum");
}

#[test]
fn rules_view_corners_are_ordered() {
    let crossed = MixInput::covering(
        Rect {
            top: 100,
            left: 200,
            bottom: 50,
            right: 150,
        },
        1,
    );
    let mix =
        MixConfig::custom_layout("out", MixOutputVideoConfig::landscape_720p(), vec![crossed]);
    assert_eq!(
        violations(&mixed_with(mix)),
        pairs(&[
            (
                "RecordInputParams.MixConfig.MixInputList[0].Top",
                "view-top-not-below-bottom"
            ),
            (
                "RecordInputParams.MixConfig.MixInputList[0].Left",
                "view-left-not-past-right"
            ),
        ])
    );
    let flat = MixInput::covering(
        Rect {
            top: 100,
            left: 100,
            bottom: 100,
            right: 100,
        },
        1,
    );
    let mix = MixConfig::custom_layout("out", MixOutputVideoConfig::landscape_720p(), vec![flat]);
    assert_eq!(
        violations(&mixed_with(mix)),
        vec![],
        "equal edges are allowed"
    );
}

#[test]
fn rules_update_layout() {
    use zego_cloudrecord::types::UpdateLayoutRequest;
    let custom = UpdateLayoutRequest::new("task").with_mix_mode(MixMode::Custom);
    assert_eq!(
        violations(&custom),
        pairs(&[("MixInputList", "layout-custom-needs-views")])
    );
    let whiteboard = MixInput::covering(
        Rect {
            top: 0,
            left: 0,
            bottom: 10,
            right: 10,
        },
        1,
    )
    .with_view_type(ViewType::Whiteboard);
    let two_whiteboards = UpdateLayoutRequest::new("task")
        .with_mix_mode(MixMode::Custom)
        .with_mix_input_list(vec![whiteboard.clone(), whiteboard.clone()]);
    assert_eq!(
        violations(&two_whiteboards),
        pairs(&[("MixInputList", "layout-single-whiteboard-view")])
    );
    let one = UpdateLayoutRequest::new("task")
        .with_mix_mode(MixMode::Custom)
        .with_mix_input_list(vec![whiteboard]);
    assert_eq!(violations(&one.clone()), vec![]);
    assert_eq!(violations(&UpdateLayoutRequest::new("task")), vec![]);
    let empty_custom = custom.clone().with_mix_input_list(vec![]);
    assert_eq!(
        violations(&empty_custom),
        pairs(&[("MixInputList", "layout-custom-needs-views")]),
        "the message says not empty, so an empty list is refused too"
    );
    // Views without MixMode: advisory, since the service may keep the task's custom mode.
    let no_mode = UpdateLayoutRequest::new("task")
        .with_mix_input_list(one.mix_input_list.clone().unwrap_or_default());
    assert_eq!(
        violations(&no_mode),
        pairs(&[("MixMode", "layout-views-without-mix-mode")])
    );
    assert!(no_mode.validate().is_ok(), "advisory findings never refuse");
}

#[test]
fn single_whiteboard_view_is_checked_whatever_the_mix_mode() {
    let whiteboard = MixInput::whiteboard_view(Rect::at(0, 0, 10, 10), 1);
    let layout = zego_cloudrecord::types::MixConfig::custom_layout(
        "out",
        zego_cloudrecord::types::MixOutputVideoConfig::landscape_720p(),
        vec![whiteboard.clone(), whiteboard],
    )
    .with_mix_mode(MixMode::EqualDivision);
    let rules: Vec<&str> = layout.findings().iter().map(|v| v.rule).collect();
    assert!(rules.contains(&"single-whiteboard-view"), "{rules:?}");
}

#[test]
fn rules_describe_tasks_time_window() {
    use zego_cloudrecord::types::{DescribeTasksRequest, TaskStatusFilter};
    const DAY_MS: i64 = 86_400_000;
    let start = 1_700_000_000_000;
    let ok = DescribeTasksRequest::new(TaskStatusFilter::Ended, start, start + 3 * DAY_MS);
    assert_eq!(violations(&ok), vec![]);
    let backwards = DescribeTasksRequest::new(TaskStatusFilter::Ended, start, start);
    assert_eq!(
        violations(&backwards),
        pairs(&[("EndTime", "tasks-end-after-start")])
    );
    let too_long =
        DescribeTasksRequest::new(TaskStatusFilter::Ended, start, start + 3 * DAY_MS + 1);
    assert_eq!(
        violations(&too_long),
        pairs(&[("EndTime", "tasks-window-at-most-three-days")])
    );
    let extreme = DescribeTasksRequest::new(TaskStatusFilter::Ended, i64::MIN, i64::MAX);
    assert_eq!(
        violations(&extreme),
        pairs(&[("EndTime", "tasks-window-at-most-three-days")]),
        "no overflow"
    );
}

#[test]
fn a_page_offset_of_zero_is_sent_because_the_documentation_allows_it() {
    use zego_cloudrecord::types::{DescribeTasksRequest, TaskStatusFilter};
    let start = 1_700_000_000_000;
    let first_page =
        DescribeTasksRequest::new(TaskStatusFilter::Ended, start, start + 1).with_page_offset(0);
    assert_eq!(first_page.validate(), Ok(()));
    let negative = first_page.with_page_offset(-1);
    let error = negative.validate().expect_err("a negative page is refused");
    assert_eq!(error.violations()[0].path, "PageOffset");
}

/// Every `x-zego-rules` id of every action, from the bundled documents.
fn rule_ids() -> Vec<String> {
    let mut ids = Vec::new();
    for action in ["StartRecord", "UpdateLayout", "DescribeTasks", "StopRecord"] {
        let spec: serde_yaml::Value =
            serde_yaml::from_str(&tests::bundled_spec(action)).expect("bundle parses");
        let Some(schemas) = spec["components"]["schemas"].as_mapping() else {
            continue;
        };
        for schema in schemas.values() {
            for rule in schema["x-zego-rules"].as_sequence().into_iter().flatten() {
                if let Some(id) = rule["id"].as_str() {
                    if !ids.iter().any(|known| known == id) {
                        ids.push(id.to_owned());
                    }
                }
            }
        }
    }
    ids
}

#[test]
fn the_spec_has_the_rules_these_tests_cover() {
    let ids = rule_ids();
    assert!(ids.len() >= 25, "{ids:?}");
    let this_file = include_str!("validation.rs");
    for id in ids {
        assert!(
            this_file.matches(&format!("\"{id}\"")).count() >= 1,
            "rule {id} has no test"
        );
    }
}

#[test]
fn sub_structures_validate_on_their_own_from_the_root() {
    let whiteboard = Whiteboard::new(16, 9).with_ppt_animation_fps(0);
    let error = whiteboard.validate().expect_err("invalid");
    assert_eq!(error.violations()[0].path, "PPTAnimationFps");
    let mut out = Vec::new();
    whiteboard.collect_violations(&FieldPath::Root.field("Whiteboard").index(3), &mut out);
    assert_eq!(out[0].path, "Whiteboard[3].PPTAnimationFps");
}
