//! The generated client against a local mock server (127.0.0.1): the signed query, the exact
//! body, and every way a call can fail mapped to its `Error` variant.

use std::time::Duration;

use serde_json::{json, Value};
use tests::support::{
    expected_signature, mixed_request, single_stream_request, storage, whiteboard_request,
    FixedClock, FixedNonce, APP_ID, NONCE_HEX, SERVER_SECRET, STORAGE_SECRET, TIMESTAMP,
};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zego_cloudrecord::runtime::TransportErrorKind;
use zego_cloudrecord::types::{
    MixConfig, MixInput, MixInputFillMode, MixOutputAudioConfig, MixOutputVideoConfig,
    MixOutputWatermarkImageConfig, MixOutputWatermarkTimestampConfig, OutputFileFormat,
    RecordInputParams, RecordMode, RecordOutputParams, SoundWaveType, StartRecordRequest,
    StreamConfig, StreamConfigStreamType, StreamType, Vendor, ViewType,
};
use zego_cloudrecord::{ApiCode, Client, Error, GatewayCode, Rect, StartRecordResponseExt};

fn client_for(server: &MockServer) -> Client {
    builder_for(&server.uri()).build().expect("client")
}

fn builder_for(base_url: &str) -> zego_cloudrecord::ClientBuilder {
    Client::builder(APP_ID, SERVER_SECRET)
        .base_url(base_url)
        .clock(FixedClock)
        .nonce_source(FixedNonce)
}

fn success_body() -> Value {
    json!({"Code": 0, "Message": "success", "RequestId": "req-1", "Data": {"TaskId": "task-0123456789ab"}})
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn only_request_body(server: &MockServer) -> Value {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).expect("JSON body")
}

#[test]
fn client_is_clone_send_sync() {
    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    fn send_sync_error<T: std::error::Error + Send + Sync + 'static>() {}
    clone_send_sync::<Client>();
    send_sync_error::<Error>();
}

#[tokio::test]
async fn sends_the_signed_common_parameters() {
    let server = MockServer::start().await;
    let signature = expected_signature(APP_ID, NONCE_HEX, SERVER_SECRET, TIMESTAMP);
    Mock::given(method("POST"))
        .and(path("/"))
        .and(query_param("Action", "StartRecord"))
        .and(query_param("AppId", APP_ID.to_string()))
        .and(query_param("SignatureNonce", NONCE_HEX))
        .and(query_param("Timestamp", TIMESTAMP.to_string()))
        .and(query_param("SignatureVersion", "2.0"))
        .and(query_param("Signature", signature.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(success_body()))
        .expect(1)
        .mount(&server)
        .await;
    let response = client_for(&server)
        .start_record(&single_stream_request())
        .await
        .expect("success");
    assert_eq!(response.data.task_id.as_deref(), Some("task-0123456789ab"));
    assert_eq!(response.request_id.as_deref(), Some("req-1"));

    let requests = server.received_requests().await.expect("recording is on");
    let request = &requests[0];
    assert_eq!(
        request.url.query_pairs().count(),
        6,
        "exactly the common parameters: {}",
        request.url
    );
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let agent = request
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(agent.starts_with("zego-cloudrecord/"), "{agent}");
}

#[tokio::test]
async fn every_attempt_gets_a_fresh_nonce_and_signature() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let client = Client::builder(APP_ID, SERVER_SECRET)
        .base_url(server.uri())
        .build()
        .expect("client");
    for _ in 0..3 {
        client
            .start_record(&single_stream_request())
            .await
            .expect("success");
    }
    let requests = server.received_requests().await.expect("recording is on");
    let mut signatures = std::collections::BTreeSet::new();
    for request in &requests {
        let query: std::collections::BTreeMap<String, String> =
            request.url.query_pairs().into_owned().collect();
        let timestamp: i64 = query["Timestamp"].parse().expect("decimal timestamp");
        assert_eq!(
            query["Signature"],
            expected_signature(APP_ID, &query["SignatureNonce"], SERVER_SECRET, timestamp)
        );
        signatures.insert(query["Signature"].clone());
    }
    assert_eq!(signatures.len(), 3);
}

#[tokio::test]
async fn single_stream_body_is_the_exact_wire_json() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    client_for(&server)
        .start_record(&single_stream_request())
        .await
        .expect("success");
    assert_eq!(
        only_request_body(&server).await,
        json!({
            "RoomId": "room-1",
            "RecordInputParams": {"RecordMode": 1},
            "StorageParams": {
                "Vendor": 1,
                "Region": "region",
                "Bucket": "bucket",
                "AccessKeyId": "key-id",
                "AccessKeySecret": STORAGE_SECRET
            }
        })
    );
}

#[tokio::test]
async fn mixed_body_with_a_full_mix_config_is_the_exact_wire_json() {
    let mix = MixConfig::custom_layout(
        "mix-out",
        MixOutputVideoConfig::new(1280, 720, 15, 1_500_000),
        vec![
            MixInput::stream_view(
                "a",
                Rect {
                    left: 0,
                    top: 0,
                    right: 640,
                    bottom: 720,
                },
                1,
            )
            .with_fill_mode(MixInputFillMode::Scale),
            MixInput::covering(
                Rect {
                    top: 0,
                    left: 640,
                    bottom: 720,
                    right: 1280,
                },
                2,
            )
            .with_view_type(ViewType::Whiteboard)
            .with_background_image("https://x.test/bg.png"),
        ],
    )
    .with_mix_output_audio_config(MixOutputAudioConfig::default().with_bitrate(64_000))
    .with_mix_output_background_color(0x1122_3300)
    .with_mix_output_watermark_image("https://x.test/wm.png")
    .with_mix_output_watermark_image_config(MixOutputWatermarkImageConfig::covering(Rect {
        left: 10,
        top: 10,
        right: 110,
        bottom: 60,
    }))
    .with_is_always_mix(true)
    .with_mix_output_watermark_timestamp_config(MixOutputWatermarkTimestampConfig::new(24))
    .with_record_sound_wave(true)
    .with_sound_wave_type(SoundWaveType::UserId)
    .with_stream_config_list(vec![StreamConfig::default()
        .with_stream_id("a")
        .with_stream_type(StreamConfigStreamType::Audio)])
    .with_clear_input_stream_timeout(3000);
    let input = RecordInputParams::new(RecordMode::MixedStream)
        .with_stream_type(StreamType::AudioAndVideo)
        .with_has_whiteboard(true)
        .with_whiteboard(vec![zego_cloudrecord::types::Whiteboard::new(16, 9)])
        .with_max_idle_time(60)
        .with_mix_config(mix);
    let request = StartRecordRequest::new("room-2", input, storage(Vendor::AmazonS3))
        .with_record_output_params(
            RecordOutputParams::default()
                .with_output_file_format(OutputFileFormat::Flv)
                .with_output_folder("rec/"),
        );
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    client_for(&server)
        .start_record(&request)
        .await
        .expect("success");
    let body = only_request_body(&server).await;
    assert_eq!(
        body["RecordInputParams"],
        json!({
            "RecordMode": 2,
            "StreamType": 3,
            "HasWhiteboard": true,
            "Whiteboard": [{"HorizontalRatio": 16, "VerticalRatio": 9}],
            "MaxIdleTime": 60,
            "MixConfig": {
                "MixMode": 1,
                "MixInputList": [
                    {"StreamId": "a", "Top": 0, "Left": 0, "Bottom": 720, "Right": 640, "Layer": 1, "FillMode": 2},
                    {"ViewType": 2, "Top": 0, "Left": 640, "Bottom": 720, "Right": 1280, "Layer": 2, "BackgroundImage": "https://x.test/bg.png"}
                ],
                "MixOutputStreamId": "mix-out",
                "MixOutputVideoConfig": {"Width": 1280, "Height": 720, "Fps": 15, "Bitrate": 1_500_000},
                "MixOutputAudioConfig": {"Bitrate": 64000},
                "MixOutputBackgroundColor": 0x1122_3300,
                "MixOutputWatermarkImage": "https://x.test/wm.png",
                "MixOutputWatermarkImageConfig": {"Left": 10, "Top": 10, "Right": 110, "Bottom": 60},
                "IsAlwaysMix": true,
                "MixOutputWatermarkTimestampConfig": {"FontSize": 24},
                "RecordSoundWave": true,
                "SoundWaveType": 1,
                "StreamConfigList": [{"StreamId": "a", "StreamType": 1}],
                "ClearInputStreamTimeout": 3000
            }
        })
    );
    assert_eq!(
        body["RecordOutputParams"],
        json!({"OutputFileFormat": "flv", "OutputFolder": "rec/"})
    );
}

#[tokio::test]
async fn whiteboard_body_is_the_exact_wire_json() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    client_for(&server)
        .start_record(&whiteboard_request())
        .await
        .expect("success");
    assert_eq!(
        only_request_body(&server).await["RecordInputParams"],
        json!({"RecordMode": 1, "HasWhiteboard": true, "Whiteboard": [{"HorizontalRatio": 16, "VerticalRatio": 9, "WhiteboardId": "wb-1"}]})
    );
}

#[tokio::test]
async fn storage_body_for_every_vendor_is_the_exact_wire_json() {
    let object_storage = |vendor: i64| json!({"Vendor": vendor, "Region": "region", "Bucket": "bucket", "AccessKeyId": "key-id", "AccessKeySecret": STORAGE_SECRET});
    let expected = [
        object_storage(1),
        object_storage(2),
        object_storage(3),
        object_storage(4),
        json!({"Vendor": 5, "AlibabaCloudVodParams": {"Region": "cn-shanghai", "AccessKeyId": "LTAI-id", "AccessKeySecret": STORAGE_SECRET, "Title": "class", "StorageLocation": "outin-location"}}),
        json!({"Vendor": 6, "TencentCloudVodParams": {"SecretId": "AKID-id", "SecretKey": STORAGE_SECRET, "Region": "ap-guangzhou"}}),
        object_storage(7),
        json!({"Vendor": 8, "Bucket": "bucket", "AccessKeyId": "key-id", "AccessKeySecret": STORAGE_SECRET}),
        object_storage(9),
        json!({"Vendor": 10, "Region": "region", "Bucket": "bucket", "AccessKeyId": "key-id", "AccessKeySecret": STORAGE_SECRET, "EndPoint": "https://s3.example.test"}),
    ];
    for (index, expected) in expected.into_iter().enumerate() {
        let vendor = Vendor::from_wire_value(i64::try_from(index).expect("small") + 1);
        let server =
            server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
        let request = StartRecordRequest::single_stream("room-1", storage(vendor));
        client_for(&server)
            .start_record(&request)
            .await
            .expect("success");
        assert_eq!(
            only_request_body(&server).await["StorageParams"],
            expected,
            "vendor {vendor}"
        );
    }
}

#[tokio::test]
async fn success_ignores_fields_added_later() {
    let body = json!({"Code": 0, "Message": "ok", "RequestId": "r", "NewTopLevel": [1], "Data": {"TaskId": "t", "Extra": {"a": 1}}});
    let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;
    let response = client_for(&server)
        .start_record(&mixed_request())
        .await
        .expect("success");
    assert_eq!(response.data.task_id.as_deref(), Some("t"));
}

#[tokio::test]
async fn non_zero_code_is_an_api_error_with_named_codes() {
    let cases = [
        (
            json!({"Code": 300000004, "Message": "bad RoomId", "RequestId": "r3"}),
            ApiCode::InvalidParameter,
            false,
        ),
        (
            json!({"Code": 100000004, "Message": "expired", "RequestId": "r1"}),
            ApiCode::Gateway(GatewayCode::SignatureExpired),
            true,
        ),
        (json!({"Code": 300000003}), ApiCode::RateLimited, true),
        (json!({"Code": 300001001}), ApiCode::TaskAlreadyEnded, false),
        (
            json!({"Code": 1, "Message": "not this API's"}),
            ApiCode::Unknown(1),
            false,
        ),
        (
            json!({"Code": 100000005, "Message": "sig"}),
            ApiCode::Gateway(GatewayCode::SignatureWrong),
            false,
        ),
        (
            json!({"Code": 424242, "Message": "new"}),
            ApiCode::Unknown(424_242),
            false,
        ),
    ];
    for (body, expected_code, retryable) in cases {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(body.clone())).await;
        let error = client_for(&server)
            .start_record(&single_stream_request())
            .await
            .expect_err("api error");
        match &error {
            Error::Api {
                code,
                message,
                request_id,
                ..
            } => {
                assert_eq!(*code, expected_code);
                assert_eq!(message, body["Message"].as_str().unwrap_or_default());
                assert_eq!(request_id.as_deref(), body["RequestId"].as_str());
            }
            other => panic!("expected Api, got {other:?}"),
        }
        assert_eq!(error.is_retryable(), retryable, "{error}");
    }
}

#[tokio::test]
async fn http_errors_keep_status_and_a_body_snippet() {
    let server =
        server_answering(ResponseTemplate::new(500).set_body_string("internal trouble")).await;
    let error = client_for(&server)
        .start_record(&single_stream_request())
        .await
        .expect_err("http error");
    assert!(
        matches!(&error, Error::Http { status: 500, body_snippet, .. } if body_snippet == "internal trouble"),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        "the service answered HTTP 500; body: internal trouble"
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = server_answering(
        ResponseTemplate::new(302).insert_header("Location", "http://127.0.0.2:9/"),
    )
    .await;
    let error = client_for(&server)
        .start_record(&single_stream_request())
        .await
        .expect_err("redirect");
    assert!(
        matches!(error, Error::Http { status: 302, .. }),
        "{error:?}"
    );
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_with_a_path() {
    let cases = [
        ("{\"Code\": 0, \"Data\": {\"TaskId\": 123}}", "Data.TaskId"),
        ("{\"Code\": \"zero\"}", "Code"),
        ("<html>oops</html>", "."),
        ("", "."),
        ("{\"Code\": 0, \"Data\": {\"TaskId\": \"t\"}} trailing", "."),
    ];
    for (body, expected_path) in cases {
        let server = server_answering(ResponseTemplate::new(200).set_body_string(body)).await;
        let error = client_for(&server)
            .start_record(&single_stream_request())
            .await
            .expect_err("decode error");
        match &error {
            Error::Decode {
                path, body_snippet, ..
            } => {
                assert_eq!(path, expected_path, "{error}");
                assert_eq!(body_snippet, body);
            }
            other => panic!("expected Decode for {body:?}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn success_without_data_returns_what_was_received() {
    for body in [
        json!({"Code": 0, "RequestId": "r"}),
        json!({"Code": 0, "RequestId": "r", "Data": null}),
    ] {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;
        let client = client_for(&server);
        let response = client
            .start_record(&single_stream_request())
            .await
            .expect("a success, though empty");
        assert_eq!(response.request_id.as_deref(), Some("r"));
        assert_eq!(response.data.task_id, None);
        let missing = response.task_id().expect_err("no TaskId");
        assert!(
            matches!(&missing, Error::MissingInResponse { path: "Data.TaskId", request_id: Some(id), .. } if id == "r"),
            "{missing:?}"
        );
        assert!(missing.to_string().contains("request id r"), "{missing}");
        let started = client
            .start_recording(&single_stream_request())
            .await
            .expect_err("no task to hand back");
        assert!(
            matches!(started, Error::MissingInResponse { .. }),
            "{started:?}"
        );
        let status = client
            .describe_record_status(&zego_cloudrecord::types::DescribeRecordStatusRequest::new(
                "t",
            ))
            .await
            .expect("empty status");
        assert_eq!(
            status.data,
            zego_cloudrecord::types::DescribeRecordStatusData::default()
        );
    }
}

#[tokio::test]
async fn a_response_without_code_is_a_decode_error() {
    for (body, expected_path) in [(json!({"Message": "?"}), "Code")] {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;
        let error = client_for(&server)
            .start_record(&single_stream_request())
            .await
            .expect_err("decode error");
        assert!(
            matches!(&error, Error::Decode { path, .. } if path == expected_path),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let template = ResponseTemplate::new(200)
        .set_body_json(success_body())
        .set_delay(Duration::from_secs(5));
    let server = server_answering(template).await;
    let client = builder_for(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = client
        .start_record(&single_stream_request())
        .await
        .expect_err("timeout");
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("timed out while calling the service"),
        "{error}"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = builder_for(&format!("http://{address}"))
        .build()
        .expect("client");
    let error = client
        .start_record(&single_stream_request())
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportErrorKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_cut_off() {
    let huge = format!("{{\"Code\":0,\"Message\":\"{}\"}}", "x".repeat(64 * 1024));
    let server = server_answering(ResponseTemplate::new(200).set_body_string(huge)).await;
    let client = builder_for(&server.uri())
        .max_response_bytes(16 * 1024)
        .build()
        .expect("client");
    let error = client
        .start_record(&single_stream_request())
        .await
        .expect_err("too large");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 16_384, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn invalid_requests_never_reach_the_server() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(success_body())).await;
    let invalid = StartRecordRequest::new(
        "room",
        RecordInputParams::new(RecordMode::MixedStream).with_max_idle_time(1),
        zego_cloudrecord::types::StorageParams::new(Vendor::AmazonS3),
    );
    let error = client_for(&server)
        .start_record(&invalid)
        .await
        .expect_err("invalid");
    let Error::Validation(validation) = &error else {
        panic!("expected Validation, got {error:?}");
    };
    assert_eq!(validation.violations().len(), 6, "{validation}");
    assert!(server
        .received_requests()
        .await
        .expect("recording")
        .is_empty());
}

#[test]
fn bad_base_urls_are_configuration_errors() {
    for url in [
        "not a url",
        "ftp://example.test",
        "mailto:someone@example.test",
    ] {
        let error = builder_for(url).build().expect_err("invalid base URL");
        assert!(
            matches!(error, Error::Configuration { .. }),
            "{url}: {error:?}"
        );
    }
}

#[test]
fn base_url_paths_are_kept() {
    let client = builder_for("http://127.0.0.1:1/prefix/")
        .build()
        .expect("client");
    let dry_run = client
        .dry_run(
            &zego_cloudrecord::operations::START_RECORD,
            &single_stream_request(),
        )
        .expect("dry run");
    assert!(
        dry_run
            .url
            .starts_with("http://127.0.0.1:1/prefix/?Action=StartRecord&AppId=1234567890&"),
        "{}",
        dry_run.url
    );
}
