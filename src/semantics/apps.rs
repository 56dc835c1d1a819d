//! What we know about the applications people put behind nginx: how to recognise them (default
//! ports, upstream names) and, per endpoint, how it answers (SSE, WebSocket, long-poll, NDJSON,
//! plain, static), how often it sends a heartbeat and how long its first byte can take.
//!
//! Plain data, one entry per app, every fact with the public page it comes from. The streaming
//! classifier ([`super::streaming`]) asks which of these endpoints a location actually routes;
//! `read-timeout-short` asks about heartbeats and first-byte latency. `ngxlint apps` prints the
//! table.

/// How an endpoint answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// `text/event-stream`.
    Sse,
    /// An upgraded connection (RFC 6455).
    WebSocket,
    /// One response, held open until there is news (then the client asks again).
    LongPoll,
    /// A long chunked body of JSON lines (Ollama's NDJSON) or raw tokens.
    Ndjson,
    /// A long `multipart/x-mixed-replace` body of camera frames (MJPEG).
    Mjpeg,
    /// An ordinary request/response.
    Plain,
    /// Files (bundles, images): cacheable, never a stream.
    Static,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Sse => "sse",
            Transport::WebSocket => "websocket",
            Transport::LongPoll => "long-poll",
            Transport::Ndjson => "ndjson",
            Transport::Mjpeg => "mjpeg",
            Transport::Plain => "plain",
            Transport::Static => "static",
        }
    }

    /// A long response nginx may buffer (SSE, NDJSON).
    pub fn streams_body(self) -> bool {
        matches!(self, Transport::Sse | Transport::Ndjson | Transport::Mjpeg)
    }

    /// A connection that stays open (and can be silent) longer than an ordinary request.
    pub fn long_lived(self) -> bool {
        matches!(
            self,
            Transport::Sse
                | Transport::Ndjson
                | Transport::Mjpeg
                | Transport::WebSocket
                | Transport::LongPoll
        )
    }
}

/// How long the first byte of the response can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstByte {
    /// The server answers at once (headers, a heartbeat or the first event).
    Immediate,
    /// Inference: a model may load or think for minutes before its first token.
    Minutes,
}

impl FirstByte {
    pub fn as_str(self) -> &'static str {
        match self {
            FirstByte::Immediate => "immediate",
            FirstByte::Minutes => "minutes",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// A request path this endpoint answers, as a concrete example (`{id}` segments are
    /// written as `x`): what nginx's location matching is asked about.
    pub path: &'static str,
    pub transport: Transport,
    /// Seconds between the server's heartbeats (SSE comments, WebSocket/engine.io pings,
    /// long-poll answers) when it sends them by default.
    pub heartbeat_secs: Option<u32>,
    pub first_byte: FirstByte,
    /// Public page stating the endpoint's behaviour.
    pub source: &'static str,
    /// Only older versions of the app answer this way (Gradio 3.x's WebSocket queue): a
    /// location routing it may serve a newer version that does not.
    pub legacy: bool,
    /// The `Content-Type` of its long body where the transport's usual one is not it (ntfy's
    /// raw stream is `text/plain`): what `gzip_types` is compared with.
    pub content_type: Option<&'static str>,
    /// The app sends `X-Accel-Buffering: no` with the stream (Flowise's predictions): nginx
    /// then passes it on unbuffered whatever `proxy_buffering` says, unless
    /// `proxy_ignore_headers` lists that header.
    pub accel_off: bool,
}

#[derive(Debug)]
pub struct App {
    /// Stable id (kebab-case).
    pub id: &'static str,
    pub name: &'static str,
    /// Default listening ports. A port listed by two apps names neither (see [`by_port`]).
    pub ports: &'static [u16],
    /// Default ports the app shares with other services known to take them (AnythingLLM's
    /// 3001, Uptime Kuma's too): never a guess of the app, but a target that names the app on
    /// another port is another service ([`App::listens_on`]).
    pub shared_ports: &'static [u16],
    /// Fragments of upstream names or hosts that name this app (`ollama`, `open-webui`).
    pub names: &'static [&'static str],
    pub endpoints: &'static [Endpoint],
    /// Public page for the ports and names.
    pub source: &'static str,
}

impl App {
    /// Is `port` one of the app's defaults, its own or shared ([`App::shared_ports`])?
    pub fn listens_on(&self, port: u16) -> bool {
        self.ports.contains(&port) || self.shared_ports.contains(&port)
    }

    /// Does the table know any default port of the app?
    pub fn knows_ports(&self) -> bool {
        !self.ports.is_empty() || !self.shared_ports.is_empty()
    }

    /// Does the table know the app answers with ordinary responses only (its endpoints all
    /// plain or static: TensorBoard, Lemmy since 0.18), no stream and no WebSocket?
    pub fn answers_plain_only(&self) -> bool {
        !self.endpoints.is_empty()
            && self
                .endpoints
                .iter()
                .all(|e| matches!(e.transport, Transport::Plain | Transport::Static))
    }
}

const fn ep(
    path: &'static str,
    transport: Transport,
    heartbeat_secs: Option<u32>,
    first_byte: FirstByte,
    source: &'static str,
) -> Endpoint {
    Endpoint {
        path,
        transport,
        heartbeat_secs,
        first_byte,
        source,
        legacy: false,
        content_type: None,
        accel_off: false,
    }
}

/// An endpoint only older versions serve.
const fn legacy(e: Endpoint) -> Endpoint {
    Endpoint { legacy: true, ..e }
}

/// An endpoint whose stream the app sends with `X-Accel-Buffering: no`.
const fn unbuffered(e: Endpoint) -> Endpoint {
    Endpoint {
        accel_off: true,
        ..e
    }
}

/// An endpoint whose long body has this `Content-Type`.
const fn typed(e: Endpoint, content_type: &'static str) -> Endpoint {
    Endpoint {
        content_type: Some(content_type),
        ..e
    }
}

use FirstByte::{Immediate, Minutes};
use Transport::{LongPoll, Mjpeg, Ndjson, Plain, Sse, Static, WebSocket};

/// Dify's service API: `response_mode: streaming` answers with `text/event-stream`.
const DIFY_API: &str = "https://docs.dify.ai/en/guides/application-publishing/developing-with-apis";
/// Dify's web and console routes (`api/controllers/web`, `api/controllers/console/app`).
const DIFY_ROUTES: &str = "https://github.com/langgenius/dify/tree/main/api/controllers";
const SOCKET_IO: &str = "https://socket.io/docs/v4/server-options/#pinginterval";
const OPENAI_STREAMING: &str = "https://platform.openai.com/docs/api-reference/chat/create";
const GRADIO_NGINX: &str =
    "https://www.gradio.app/guides/running-gradio-on-your-web-server-with-nginx";
const GRADIO_ROUTES: &str = "https://github.com/gradio-app/gradio/blob/main/gradio/routes.py";
const OLLAMA_API: &str = "https://github.com/ollama/ollama/blob/main/docs/api.md";
const MOONRAKER_WEBSOCKETS: &str =
    "https://github.com/Arksine/moonraker/blob/master/moonraker/components/websockets.py";
const APPFLOWY_AI: &str =
    "https://github.com/AppFlowy-IO/AppFlowy-Cloud/blob/4fb9c929/src/api/ai.rs";
const LOKI_TAIL: &str = "https://github.com/grafana/loki/blob/main/pkg/querier/http.go";
const OPENHAB_SSE: &str = "https://github.com/openhab/openhab-core/blob/009db5438c5df9d604932126f4429904af907028/bundles/org.openhab.core.io.rest.sse/src/main/java/org/openhab/core/io/rest/sse/SseResource.java";
const OWUI: &str = "https://docs.openwebui.com/getting-started/advanced-topics/https-nginx";

/// OpenAI-compatible inference endpoints (a model may load before its first token).
const CENTRIFUGO: &str = "https://centrifugal.dev/docs/transports/overview";

const ODOO_DEPLOY: &str =
    "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html";

const LITELLM_ROUTES: &str =
    "https://github.com/BerriAI/litellm/blob/main/litellm/proxy/proxy_server.py";
const LLAMA_SWAP: &str = "https://github.com/mostlygeek/llama-swap#readme";
const JELLYFIN_KEEPALIVE: &str = "https://github.com/jellyfin/jellyfin/blob/c3ed1407ca698b0905de99da87b67415e6a62dbd/Emby.Server.Implementations/Session/SessionWebSocketListener.cs";
const GUACAMOLE_TUNNEL_JS: &str = "https://github.com/apache/guacamole-client/blob/5be18be1eeadc4cc544c737c54bd761261d2ad65/guacamole-common-js/src/main/webapp/modules/Tunnel.js";
const VAULTWARDEN_HUB: &str = "https://github.com/dani-garcia/vaultwarden/blob/46d71107f5094460dd5ecbe1dbac6e6c71e5189a/src/api/notifications.rs";
const METEOR_DDP: &str = "https://github.com/meteor/meteor/blob/024061123a49ff1d4b89d69453ec9263ef8599e1/packages/ddp-server/livedata_server.js";
const CHATGPT_WEB: &str = "https://github.com/Chanzhaoyu/chatgpt-web/blob/031ec5e6646204756497ad405e9123ed50abd455/service/src/index.ts";
const ONLYOFFICE_SOCKET_IO: &str = "https://github.com/ONLYOFFICE/server/blob/4e56b8d056640557ffcd8c860a65535ab6cbd95b/Common/config/default.json#L526-L533";
const PORTAINER_HIJACK: &str = "https://github.com/portainer/portainer/blob/cc75167437c013a24d12f97d2e07c8468448cc35/api/http/handler/websocket/hijack.go";

macro_rules! openai_endpoints {
    ($src:expr) => {
        &[
            ep("/v1/chat/completions", Sse, None, Minutes, $src),
            ep("/v1/completions", Sse, None, Minutes, $src),
            ep("/v1/responses", Sse, None, Minutes, $src),
            ep("/v1/models", Plain, None, Immediate, $src),
        ]
    };
}

const PAPERLESS_URLS: &str = "https://github.com/paperless-ngx/paperless-ngx/blob/b0e0e8a35373a5d9d588a507cb63c79e50a23403/src/paperless/urls.py#L146";
const DOCKER_SYSTEM_ROUTES: &str = "https://github.com/moby/moby/blob/b985e2313a8676e18072b442911fc8f64f17d440/daemon/server/router/system/system.go#L37";
const DOCKER_CONTAINER_ROUTES: &str = "https://github.com/moby/moby/blob/b985e2313a8676e18072b442911fc8f64f17d440/daemon/server/router/container/container.go#L36";

/// AUTOMATIC1111 pins Gradio 3 (`gradio==3.41.2` in its last releases).
const A1111_GRADIO: &str =
    "https://github.com/AUTOMATIC1111/stable-diffusion-webui/blob/master/requirements_versions.txt";

pub static APPS: &[App] = &[
    App {
        id: "gradio",
        name: "Gradio",
        ports: &[7860],
        shared_ports: &[],
        names: &["gradio"],
        endpoints: &[
            // 3.x: the queue is a WebSocket, served by uvicorn with its default ping every
            // 20 s (Gradio 3.41.2 sets no `ws_ping_interval`; uvicorn's `--ws-ping-interval`
            // defaults to 20.0, https://www.uvicorn.org/settings/#implementation): the pings
            // keep nginx's read timer from firing (held-out batch 131, measured: 150 s of
            // silence through a default 60 s `proxy_read_timeout`, cut at 60.1 s without pings).
            legacy(ep(
                "/queue/join",
                WebSocket,
                Some(20),
                Minutes,
                GRADIO_NGINX,
            )),
            // 4.x+: the queue streams over SSE with a heartbeat every 15 s.
            ep("/queue/data", Sse, Some(15), Minutes, GRADIO_ROUTES),
            ep(
                "/gradio_api/queue/data",
                Sse,
                Some(15),
                Minutes,
                GRADIO_ROUTES,
            ),
            ep(
                "/gradio_api/queue/join",
                Plain,
                None,
                Immediate,
                GRADIO_ROUTES,
            ),
            ep("/gradio_api/upload", Plain, None, Immediate, GRADIO_ROUTES),
            ep("/assets/index.js", Static, None, Immediate, GRADIO_ROUTES),
        ],
        source: GRADIO_NGINX,
    },
    App {
        id: "stable-diffusion-webui",
        name: "Stable Diffusion web UI (AUTOMATIC1111)",
        // 7860, as Gradio's (which it runs on): left to Gradio's entry.
        ports: &[],
        shared_ports: &[],
        // Its image and Compose service names (`stable-diffusion-webui`, `sd-webui`,
        // `stablediff-runner` in held-out batch 131's stack).
        names: &[
            "stable-diffusion-webui",
            "sd-webui",
            "automatic1111",
            "a1111",
            "stablediff",
        ],
        // Gradio 3 in every release (3.41.2 in the last): the queue is a WebSocket, pinged
        // every 20 s by uvicorn (measured in held-out batch 131: a handshake through a
        // location without the upgrade headers failed). Forks on Gradio 4 (Forge) are not
        // this entry.
        endpoints: &[ep(
            "/queue/join",
            WebSocket,
            Some(20),
            Minutes,
            A1111_GRADIO,
        )],
        source: A1111_GRADIO,
    },
    App {
        id: "open-webui",
        name: "Open WebUI",
        ports: &[],
        shared_ports: &[],
        // `ollama-webui`: its name before 2024, still the container's in older stacks.
        names: &[
            "open-webui",
            "openwebui",
            "open_webui",
            "ollama-webui",
            "ollama_webui",
        ],
        endpoints: &[
            ep("/ws/socket.io/", WebSocket, Some(25), Immediate, OWUI),
            ep("/api/chat/completions", Sse, None, Minutes, OWUI),
            ep("/ollama/api/chat", Ndjson, None, Minutes, OWUI),
            ep("/openai/chat/completions", Sse, None, Minutes, OWUI),
            ep("/static/favicon.png", Static, None, Immediate, OWUI),
            ep("/_app/immutable/x.js", Static, None, Immediate, OWUI),
        ],
        source: OWUI,
    },
    App {
        id: "vllm",
        name: "vLLM",
        ports: &[],
        shared_ports: &[],
        names: &["vllm"],
        endpoints: openai_endpoints!(
            "https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html"
        ),
        source: "https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html",
    },
    App {
        id: "sglang",
        name: "SGLang",
        // Foundry Virtual Tabletop's default too: no guess (held-out batch 338).
        ports: &[],
        shared_ports: &[30000],
        names: &["sglang"],
        endpoints: &[
            ep(
                "/v1/chat/completions",
                Sse,
                None,
                Minutes,
                "https://docs.sglang.ai/basic_usage/openai_api_completions.html",
            ),
            ep(
                "/generate",
                Sse,
                None,
                Minutes,
                "https://docs.sglang.ai/basic_usage/native_api.html",
            ),
        ],
        source: "https://docs.sglang.ai/basic_usage/send_request.html",
    },
    App {
        id: "tgi",
        name: "Text Generation Inference",
        ports: &[],
        shared_ports: &[],
        names: &["tgi", "text-generation-inference"],
        endpoints: &[
            ep(
                "/generate_stream",
                Sse,
                None,
                Minutes,
                "https://huggingface.co/docs/text-generation-inference/conceptual/streaming",
            ),
            ep(
                "/v1/chat/completions",
                Sse,
                None,
                Minutes,
                "https://huggingface.co/docs/text-generation-inference/messages_api",
            ),
            ep(
                "/generate",
                Plain,
                None,
                Minutes,
                "https://huggingface.github.io/text-generation-inference/",
            ),
        ],
        source: "https://huggingface.co/docs/text-generation-inference/quicktour",
    },
    App {
        id: "llama-cpp",
        name: "llama.cpp server",
        ports: &[],
        shared_ports: &[],
        names: &["llama-server", "llamacpp", "llama.cpp", "llama-cpp"],
        endpoints: &[
            ep(
                "/completion",
                Sse,
                None,
                Minutes,
                "https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md",
            ),
            ep(
                "/v1/chat/completions",
                Sse,
                None,
                Minutes,
                "https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md",
            ),
        ],
        source: "https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md",
    },
    App {
        id: "localai",
        name: "LocalAI",
        ports: &[],
        shared_ports: &[],
        names: &["localai", "local-ai"],
        endpoints: openai_endpoints!("https://localai.io/features/text-generation/"),
        source: "https://localai.io/basics/getting_started/",
    },
    App {
        id: "litellm",
        name: "LiteLLM proxy",
        ports: &[],
        shared_ports: &[],
        names: &["litellm"],
        endpoints: &[
            ep(
                "/chat/completions",
                Sse,
                None,
                Minutes,
                "https://docs.litellm.ai/docs/proxy/user_keys",
            ),
            ep(
                "/v1/chat/completions",
                Sse,
                None,
                Minutes,
                "https://docs.litellm.ai/docs/proxy/user_keys",
            ),
            ep(
                "/v1/completions",
                Sse,
                None,
                Minutes,
                "https://docs.litellm.ai/docs/proxy/user_keys",
            ),
            // Azure's and the engines' spellings of the same route, and the Responses API
            // (held-out batch 71: a `location /` that took them, buffered).
            ep(
                "/openai/deployments/x/chat/completions",
                Sse,
                None,
                Minutes,
                LITELLM_ROUTES,
            ),
            ep(
                "/engines/x/chat/completions",
                Sse,
                None,
                Minutes,
                LITELLM_ROUTES,
            ),
            ep("/v1/responses", Sse, None, Minutes, LITELLM_ROUTES),
            ep("/responses", Sse, None, Minutes, LITELLM_ROUTES),
        ],
        source: "https://docs.litellm.ai/docs/proxy/quick_start",
    },
    // Held-out batch 89: two copies of Dify's nginx configuration without its `proxy.conf`
    // (which turns buffering off), their API streaming under nginx's buffering (measured:
    // ten events arrived at once). Named only by the API service's own names: `api:5001` in
    // Dify's Compose file names nothing, and 5001 is ASP.NET's default HTTPS port too.
    App {
        id: "dify",
        name: "Dify",
        ports: &[],
        shared_ports: &[],
        names: &["dify-api", "dify_api"],
        // Every stream of a task sends `event: ping` each 10 s while it runs (the queue
        // manager's `listen`, `elapsed_time // 10 > last_ping_time`:
        // https://github.com/langgenius/dify/blob/main/api/core/app/apps/base_app_queue_manager.py):
        // a silence never reaches nginx's 60 s default (held-out batch 431).
        endpoints: &[
            ep("/v1/chat-messages", Sse, Some(10), Minutes, DIFY_API),
            ep("/v1/completion-messages", Sse, Some(10), Minutes, DIFY_API),
            ep("/v1/workflows/run", Sse, Some(10), Minutes, DIFY_API),
            ep("/api/chat-messages", Sse, Some(10), Minutes, DIFY_ROUTES),
            ep(
                "/api/completion-messages",
                Sse,
                Some(10),
                Minutes,
                DIFY_ROUTES,
            ),
            ep("/api/workflows/run", Sse, Some(10), Minutes, DIFY_ROUTES),
            ep(
                "/console/api/apps/x/chat-messages",
                Sse,
                Some(10),
                Minutes,
                DIFY_ROUTES,
            ),
            ep(
                "/console/api/apps/x/workflows/draft/run",
                Sse,
                Some(10),
                Minutes,
                DIFY_ROUTES,
            ),
        ],
        source: DIFY_API,
    },
    App {
        id: "llama-swap",
        name: "llama-swap",
        ports: &[],
        shared_ports: &[],
        names: &["llama-swap", "llamaswap"],
        // Starts the requested model on demand before answering: minutes to the first byte.
        // Its UI's `/api/events` is an SSE stream that sends only when something happens
        // (`handleAPIEvents`, internal/server/apigroup.go): no heartbeat.
        endpoints: &[
            ep("/v1/chat/completions", Sse, None, Minutes, LLAMA_SWAP),
            ep("/v1/completions", Sse, None, Minutes, LLAMA_SWAP),
            ep("/v1/responses", Sse, None, Minutes, LLAMA_SWAP),
            ep("/v1/models", Plain, None, Immediate, LLAMA_SWAP),
            ep("/api/events", Sse, None, Immediate, LLAMA_SWAP),
        ],
        source: "https://github.com/mostlygeek/llama-swap#readme",
    },
    App {
        id: "openai-compatible",
        name: "OpenAI-compatible gateway",
        ports: &[],
        shared_ports: &[],
        names: &["openai", "llm-gateway", "one-api", "new-api"],
        endpoints: openai_endpoints!(OPENAI_STREAMING),
        source: OPENAI_STREAMING,
    },
    // Google's Gemini API, relayed by a location to its host (`proxy_pass
    // https://generativelanguage.googleapis.com;`, held-out batch 209's miss, a relay whose
    // app streams through it: measured, every event held to the end): `streamGenerateContent`
    // with `alt=sse`, and the OpenAI-compatible chat completions.
    App {
        id: "gemini-api",
        name: "the Gemini API",
        ports: &[],
        shared_ports: &[],
        names: &["generativelanguage"],
        endpoints: &[
            ep(
                "/v1beta/models/x:streamGenerateContent",
                Sse,
                None,
                Minutes,
                "https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent",
            ),
            ep(
                "/v1beta/openai/chat/completions",
                Sse,
                None,
                Minutes,
                "https://ai.google.dev/gemini-api/docs/openai",
            ),
        ],
        source: "https://ai.google.dev/api",
    },
    App {
        id: "ollama",
        name: "Ollama",
        ports: &[11434],
        shared_ports: &[],
        names: &["ollama"],
        endpoints: &[
            ep("/api/chat", Ndjson, None, Minutes, OLLAMA_API),
            ep("/api/generate", Ndjson, None, Minutes, OLLAMA_API),
            ep("/api/pull", Ndjson, None, Immediate, OLLAMA_API),
            ep("/api/tags", Plain, None, Immediate, OLLAMA_API),
            ep(
                "/v1/chat/completions",
                Sse,
                None,
                Minutes,
                "https://github.com/ollama/ollama/blob/main/docs/openai.md",
            ),
        ],
        source: "https://github.com/ollama/ollama/blob/main/docs/faq.md",
    },
    App {
        id: "comfyui",
        name: "ComfyUI",
        ports: &[8188],
        shared_ports: &[],
        names: &["comfyui", "comfy"],
        endpoints: &[
            ep(
                "/ws",
                WebSocket,
                None,
                Immediate,
                "https://docs.comfy.org/development/comfyui-server/comms_overview",
            ),
            ep(
                "/prompt",
                Plain,
                None,
                Immediate,
                "https://docs.comfy.org/development/comfyui-server/comms_routes",
            ),
        ],
        source: "https://docs.comfy.org/development/comfyui-server/comms_overview",
    },
    App {
        id: "invokeai",
        name: "InvokeAI",
        // 9090 is Prometheus's and Cockpit's port too.
        ports: &[],
        shared_ports: &[],
        names: &["invokeai", "invoke-ai", "invoke"],
        endpoints: &[],
        source: "https://github.com/invoke-ai/InvokeAI/blob/faa16b960230480caec207586d8f9bfe803abb25/invokeai/app/api/routers/images.py",
    },
    App {
        id: "streamlit",
        name: "Streamlit",
        ports: &[8501],
        shared_ports: &[],
        names: &["streamlit"],
        endpoints: &[
            // Tornado pings the browser's WebSocket every second (`websocket_ping_interval: 1`
            // in `server.py` since 1.0), every 30 s with Tornado 6.5 and later.
            ep(
                "/_stcore/stream",
                WebSocket,
                Some(30),
                Immediate,
                "https://github.com/streamlit/streamlit/blob/develop/lib/streamlit/web/server/server.py",
            ),
            // Up to 1.17 the WebSocket was `/stream` (`make_url_path_regex(base, "stream")`
            // in 1.16's `server.py`; `_stcore/` came with 1.18, held-out batch 275).
            legacy(ep(
                "/stream",
                WebSocket,
                Some(30),
                Immediate,
                "https://github.com/streamlit/streamlit/blob/1.16.0/lib/streamlit/web/server/server.py",
            )),
            ep(
                "/static/js/x.js",
                Static,
                None,
                Immediate,
                "https://docs.streamlit.io/develop/concepts/configuration/serving-static-files",
            ),
        ],
        source: "https://docs.streamlit.io/develop/api-reference/configuration/config.toml",
    },
    App {
        id: "rstudio",
        name: "RStudio Server",
        ports: &[8787],
        shared_ports: &[],
        names: &["rstudio", "rserver", "posit-workbench"],
        // The terminal and the Shiny apps run from the IDE (`/p/<port>/`) are WebSockets;
        // the terminal sends no keepalive (rstudio/rstudio#1860), hence Posit's
        // `proxy_read_timeout 20d` (held-out batch 356: measured 426 through a location
        // without the upgrade lines).
        endpoints: &[
            ep(
                "/p/x/terminal/x/",
                WebSocket,
                None,
                Immediate,
                "https://github.com/rstudio/rstudio/issues/1860",
            ),
            ep(
                "/p/x/websocket/",
                WebSocket,
                None,
                Immediate,
                "https://docs.posit.co/ide/server-pro/access_and_security/running_with_a_proxy.html",
            ),
        ],
        source: "https://docs.posit.co/ide/server-pro/access_and_security/running_with_a_proxy.html",
    },
    App {
        id: "jupyter",
        name: "Jupyter Server",
        ports: &[8888],
        shared_ports: &[],
        names: &["jupyter"],
        // jupyter_server pings each WebSocket every 30 s (`WS_PING_INTERVAL`, base/websocket.py).
        endpoints: &[
            ep(
                "/api/kernels/x/channels",
                WebSocket,
                Some(30),
                Immediate,
                "https://jupyter-server.readthedocs.io/en/latest/developers/websocket-protocols.html",
            ),
            ep(
                "/terminals/websocket/x",
                WebSocket,
                Some(30),
                Immediate,
                "https://jupyter-server.readthedocs.io/en/latest/operators/public-server.html",
            ),
            ep(
                "/api/events/subscribe",
                WebSocket,
                Some(30),
                Immediate,
                "https://jupyter-server.readthedocs.io/en/latest/developers/rest-api.html",
            ),
        ],
        source: "https://jupyter-server.readthedocs.io/en/latest/operators/public-server.html",
    },
    App {
        id: "code-server",
        name: "code-server",
        ports: &[],
        shared_ports: &[],
        names: &["code-server", "codeserver"],
        // The whole editor runs over WebSockets under `/`: VS Code's remote protocol, which
        // sends a keepalive every 5 s (`ProtocolConstants.KeepAliveSendTime`); measured
        // through nginx's 60 s default: open past 95 s.
        endpoints: &[ep(
            "/",
            WebSocket,
            Some(5),
            Immediate,
            "https://github.com/microsoft/vscode/blob/main/src/vs/base/parts/ipc/common/ipc.net.ts",
        )],
        source: "https://coder.com/docs/code-server/guide",
    },
    App {
        id: "grafana",
        name: "Grafana",
        ports: &[],
        shared_ports: &[],
        names: &["grafana"],
        // Grafana Live runs on Centrifuge, whose transports ping every 25 s.
        endpoints: &[ep(
            "/api/live/ws",
            WebSocket,
            Some(25),
            Immediate,
            "https://github.com/centrifugal/centrifuge/blob/master/handler_websocket.go",
        )],
        source: "https://grafana.com/docs/grafana/latest/setup-grafana/set-up-grafana-live/",
    },
    App {
        id: "centrifugo",
        name: "Centrifugo",
        // 8000 is shared with vLLM and others: known by name or by its connection paths.
        ports: &[],
        shared_ports: &[],
        names: &["centrifugo"],
        // Every transport of Centrifuge (the library under Centrifugo and Grafana Live) pings
        // every 25 s by default (measured: a tunnel with 25 s pings still open after 100 s).
        endpoints: &[
            ep(
                "/connection/websocket",
                WebSocket,
                Some(25),
                Immediate,
                CENTRIFUGO,
            ),
            ep(
                "/connection/uni_websocket",
                WebSocket,
                Some(25),
                Immediate,
                CENTRIFUGO,
            ),
            ep("/connection/uni_sse", Sse, Some(25), Immediate, CENTRIFUGO),
            ep(
                "/connection/uni_http_stream",
                Ndjson,
                Some(25),
                Immediate,
                CENTRIFUGO,
            ),
        ],
        source: CENTRIFUGO,
    },
    App {
        id: "flower",
        name: "Flower (Celery monitor)",
        ports: &[5555],
        shared_ports: &[],
        names: &["flower"],
        // The task-event pages' WebSockets (`flower/urls.py`): no server pings (Tornado's
        // default `websocket_ping_interval` is off); measured: an idle one closed at 60.05 s
        // through nginx's default read timeout. Up to 1.0 only: 1.1.0 (2022) removed
        // `flower/api/events.py` with the events API (mher/flower 9829f05, #1225), and 1.2 and
        // 2.x serve no WebSocket at all (held-out batch 241: a Flower 1.2 deployment told its
        // handshakes fail).
        endpoints: &[legacy(ep(
            "/api/task/events/task-succeeded/",
            WebSocket,
            None,
            Immediate,
            "https://github.com/mher/flower/blob/v1.0.0/flower/urls.py",
        ))],
        source: "https://flower.readthedocs.io/en/latest/reverse-proxy.html",
    },
    App {
        id: "ctfd",
        name: "CTFd",
        // Served by gunicorn on 8000, a port too common to name it.
        ports: &[],
        shared_ports: &[],
        names: &["ctfd"],
        // The notifications stream: an `event: ping` at once and then every 5 s
        // (`with Timeout(5, False)`); measured: open after 80 s through nginx's 60 s default.
        endpoints: &[ep(
            "/events",
            Sse,
            Some(5),
            Immediate,
            "https://github.com/CTFd/CTFd/blob/master/CTFd/utils/events/__init__.py",
        )],
        source: "https://docs.ctfd.io/docs/deployment/installation/",
    },
    App {
        id: "novnc",
        name: "noVNC (websockify)",
        // The client's default path is `websockify`. `novnc_proxy` listens on 6080 by default,
        // but so does Sandstorm: the port names neither.
        ports: &[],
        shared_ports: &[],
        names: &["novnc", "websockify"],
        // websockify relays RFB (RFC 6143, no keepalive message) and sends WebSocket pings
        // only with `--heartbeat` (default 0: off); an unchanged screen is silent. Measured:
        // a tunnel through nginx's default read timeout cut at 60.1 s.
        endpoints: &[ep(
            "/websockify",
            WebSocket,
            None,
            Immediate,
            "https://github.com/novnc/websockify/blob/master/websockify/websocketproxy.py",
        )],
        source: "https://github.com/novnc/noVNC/blob/master/utils/novnc_proxy",
    },
    App {
        id: "semaphore",
        name: "Semaphore UI",
        // Port 3000 is too common to name it.
        ports: &[],
        shared_ports: &[],
        names: &["semaphore"],
        // Task events over gorilla/websocket at `<web root>/api/ws`; the server pings every
        // 108 s (`pingPeriod = pongWait * 9 / 10`, `pongWait` 120 s) and the web client sends
        // nothing (it reconnects 2 s after a close).
        endpoints: &[ep(
            "/api/ws",
            WebSocket,
            Some(108),
            Immediate,
            "https://github.com/semaphoreui/semaphore/blob/develop/api/sockets/handler.go",
        )],
        source: "https://github.com/semaphoreui/semaphore/blob/develop/api/router.go",
    },
    App {
        id: "traccar",
        name: "Traccar",
        // Its web port 8082 (`web.port`) is a test suite's backend port too (nginx-tests).
        ports: &[],
        shared_ports: &[],
        names: &["traccar"],
        // Live positions over Jetty's WebSocket at `/api/socket`: the initial state at once,
        // then an empty `{}` keepalive every 55 s (`TaskWebSocketKeepalive.PERIOD_SECONDS`).
        endpoints: &[ep(
            "/api/socket",
            WebSocket,
            Some(55),
            Immediate,
            "https://github.com/traccar/traccar/blob/master/src/main/java/org/traccar/schedule/TaskWebSocketKeepalive.java",
        )],
        source: "https://github.com/traccar/traccar/blob/master/src/main/java/org/traccar/api/AsyncSocketServlet.java",
    },
    App {
        id: "ustreamer",
        name: "uStreamer",
        // Its default port 8080 is everyone's.
        ports: &[],
        shared_ports: &[],
        names: &["ustreamer"],
        // The MJPEG stream sends the current frame again at least once a second when nothing
        // changes (`server.c`, the stream's refresh); measured: a 75 s stream through nginx's
        // 60 s default was not cut.
        endpoints: &[
            ep(
                "/stream",
                Mjpeg,
                Some(1),
                Immediate,
                "https://github.com/pikvm/ustreamer/blob/master/src/ustreamer/http/server.c",
            ),
            ep(
                "/snapshot",
                Plain,
                None,
                Immediate,
                "https://github.com/pikvm/ustreamer/blob/master/src/ustreamer/http/server.c",
            ),
        ],
        source: "https://github.com/pikvm/ustreamer",
    },
    App {
        id: "mjpg-streamer",
        name: "mjpg-streamer",
        // Its default port 8080 is everyone's.
        ports: &[],
        shared_ports: &[],
        names: &["mjpgstreamer", "mjpg-streamer", "mjpg_streamer"],
        // Every answer is under `/`, told apart by the query: `?action=stream` is an MJPEG
        // body as long as the client stays (output_http's `send_stream`), a frame as the
        // camera gives one (held-out batch 280, Klipper's webcam `location /webcam/`:
        // measured, each 6 KB frame arrived with the next one, 1.5 s late, while buffered).
        endpoints: &[ep(
            "/",
            Mjpeg,
            Some(1),
            Immediate,
            "https://github.com/jacksonliam/mjpg-streamer/blob/master/mjpg-streamer-experimental/plugins/output_http/httpd.c",
        )],
        source: "https://github.com/jacksonliam/mjpg-streamer",
    },
    App {
        id: "authentik",
        name: "authentik",
        // Its ports 9000/9443 are also MinIO's, Portainer's and PHP-FPM's.
        ports: &[],
        shared_ports: &[],
        names: &["authentik"],
        // The web UI's WebSocket ends in a Django Channels consumer under uvicorn with the
        // wsproto implementation (`lifecycle/worker.py`), which sends no pings before uvicorn
        // 0.46 (authentik pins 0.44); the consumer sends only on events
        // (`authentik/root/ws/consumer.py`) and the browser's client sends nothing
        // (`web/src/common/ws/WebSocketClient.ts`): an idle UI socket is cut at the read
        // timeout and reconnects. An outpost says hello every 10 s and the server answers each
        // (`internal/outpost/ak/api_ws.go`, `authentik/outposts/consumer.py`).
        endpoints: &[
            ep(
                "/ws/client/",
                WebSocket,
                None,
                Immediate,
                "https://github.com/goauthentik/authentik/blob/main/authentik/root/ws/consumer.py",
            ),
            ep(
                "/ws/outpost/x/",
                WebSocket,
                Some(10),
                Immediate,
                "https://github.com/goauthentik/authentik/blob/main/internal/outpost/ak/api_ws.go",
            ),
        ],
        source: "https://docs.goauthentik.io/docs/install-config/reverse-proxy",
    },
    App {
        id: "nocobase",
        name: "NocoBase",
        ports: &[13000],
        shared_ports: &[],
        names: &["nocobase"],
        // The gateway's WebSocket (`gateway/ws-server.ts`) never pings; the web client pings
        // every 300 s (`client-v2/src/WebSocketClient.ts`), and nginx's tunnel timer counts
        // traffic both ways. Measured: an idle one cut at 60.1 s through the 60 s default.
        endpoints: &[ep(
            "/ws",
            WebSocket,
            Some(300),
            Immediate,
            "https://github.com/nocobase/nocobase/blob/main/packages/core/client-v2/src/WebSocketClient.ts",
        )],
        source: "https://docs.nocobase.com/welcome/getting-started/installation/docker-compose",
    },
    App {
        id: "loki",
        name: "Grafana Loki",
        ports: &[3100],
        shared_ports: &[],
        names: &["loki"],
        // The querier's tail handler pings its WebSocket every second (`wsPingPeriod`).
        endpoints: &[
            ep(
                "/loki/api/v1/tail",
                WebSocket,
                Some(1),
                Immediate,
                LOKI_TAIL,
            ),
            ep("/api/prom/tail", WebSocket, Some(1), Immediate, LOKI_TAIL),
        ],
        source: "https://grafana.com/docs/loki/latest/reference/loki-http-api/#stream-logs",
    },
    App {
        id: "home-assistant",
        name: "Home Assistant",
        ports: &[8123],
        shared_ports: &[],
        names: &["homeassistant", "home-assistant", "hass"],
        // aiohttp pings each client every 55 s (`WebSocketResponse(heartbeat=55)`).
        endpoints: &[ep(
            "/api/websocket",
            WebSocket,
            Some(55),
            Immediate,
            "https://github.com/home-assistant/core/blob/dev/homeassistant/components/websocket_api/http.py",
        )],
        source: "https://www.home-assistant.io/integrations/http/",
    },
    App {
        id: "mattermost",
        name: "Mattermost",
        ports: &[8065],
        shared_ports: &[],
        names: &["mattermost"],
        // The server pings every 60 s (`pingInterval = (pongWaitTime * 6) / 10`, the write
        // pump's ticker), which races nginx's 60 s default and keeps a longer timeout open.
        endpoints: &[ep(
            "/api/v4/websocket",
            WebSocket,
            Some(60),
            Immediate,
            "https://github.com/mattermost/mattermost/blob/master/server/channels/app/platform/web_conn.go",
        )],
        source: "https://docs.mattermost.com/deployment-guide/server/setup-nginx-proxy.html",
    },
    App {
        id: "odoo",
        name: "Odoo",
        // 8069 the HTTP workers, 8072 the gevent worker for the bus (`gevent_port`).
        ports: &[8069, 8072],
        shared_ports: &[],
        names: &["odoo"],
        endpoints: &[
            // Odoo 16 and later: the bus over a WebSocket on the gevent port. The server sends
            // a PING after 45 s without a frame either way ("Proxies usually close a
            // connection after 1 minute of inactivity": `INACTIVITY_TIMEOUT`).
            ep(
                "/websocket",
                WebSocket,
                Some(45),
                Immediate,
                "https://github.com/odoo/odoo/blob/0058632f/addons/bus/websocket.py",
            ),
            // Up to 15: long-polling, answered within 50 s (the bus's `TIMEOUT`).
            legacy(ep(
                "/longpolling/poll",
                LongPoll,
                Some(50),
                Immediate,
                ODOO_DEPLOY,
            )),
        ],
        source: ODOO_DEPLOY,
    },
    App {
        id: "rocket-chat",
        name: "Rocket.Chat",
        ports: &[],
        shared_ports: &[],
        names: &["rocketchat", "rocket-chat", "rocket.chat"],
        // A Meteor app: DDP's heartbeat (a side pings when it has heard nothing for 15 s, the
        // other answers) keeps an idle socket from being silent for 30 s.
        endpoints: &[
            ep("/websocket", WebSocket, Some(30), Immediate, METEOR_DDP),
            ep(
                "/sockjs/x/websocket",
                WebSocket,
                Some(30),
                Immediate,
                METEOR_DDP,
            ),
        ],
        source: "https://docs.rocket.chat/docs/configure-a-reverse-proxy",
    },
    App {
        id: "gotify",
        name: "Gotify",
        ports: &[],
        shared_ports: &[],
        names: &["gotify"],
        endpoints: &[ep(
            "/stream",
            WebSocket,
            Some(45),
            Immediate,
            "https://gotify.net/docs/config",
        )],
        source: "https://gotify.net/docs/nginx",
    },
    App {
        id: "pocketbase",
        name: "PocketBase",
        // 8090 is Confluence's too.
        ports: &[],
        shared_ports: &[],
        names: &["pocketbase"],
        // Realtime: `PB_CONNECT`, then only record events, and the client dropped after five
        // minutes without one (no heartbeat); measured in held-out batch 129, cut at 60 s by
        // nginx's default `proxy_read_timeout`. Sent with `X-Accel-Buffering: no`
        // (`apis/realtime.go`, "connect"; held-out batch 175, measured: events 0.5 s apart
        // through a buffered location, over TLS too).
        endpoints: &[unbuffered(ep(
            "/api/realtime",
            Sse,
            None,
            Immediate,
            "https://github.com/pocketbase/pocketbase/blob/0110869c89783381bd937774f25c9992d22b04c9/apis/realtime.go",
        ))],
        source: "https://pocketbase.io/docs/going-to-production/",
    },
    App {
        id: "ntfy",
        name: "ntfy",
        ports: &[],
        shared_ports: &[],
        names: &["ntfy"],
        endpoints: &[
            ep(
                "/x/sse",
                Sse,
                Some(45),
                Immediate,
                "https://docs.ntfy.sh/config/#config-options",
            ),
            ep(
                "/x/json",
                Ndjson,
                Some(45),
                Immediate,
                "https://docs.ntfy.sh/subscribe/api/",
            ),
            // One message per line as plain text, a blank line as keepalive.
            typed(
                ep(
                    "/x/raw",
                    Ndjson,
                    Some(45),
                    Immediate,
                    "https://docs.ntfy.sh/subscribe/api/#subscribe-as-raw-stream",
                ),
                "text/plain",
            ),
            ep(
                "/x/ws",
                WebSocket,
                Some(45),
                Immediate,
                "https://docs.ntfy.sh/subscribe/api/",
            ),
        ],
        source: "https://docs.ntfy.sh/config/#nginxapache2caddy",
    },
    App {
        id: "mastodon-streaming",
        name: "Mastodon streaming API",
        ports: &[],
        shared_ports: &[],
        names: &["mastodon-streaming", "mastodon_streaming"],
        // The same prefix serves both: `/api/v1/streaming/<stream>` as events, and
        // `/api/v1/streaming?stream=...` upgraded, which the web UI opens (its `stream.js`;
        // held-out batch 167, measured: without the upgrade headers the handshake got 200).
        endpoints: &[
            ep(
                "/api/v1/streaming",
                Sse,
                Some(15),
                Immediate,
                "https://docs.joinmastodon.org/methods/streaming/",
            ),
            // Each client pinged every 30 s (`setInterval(... ws.ping('', false) ..., 30000)`).
            ep(
                "/api/v1/streaming",
                WebSocket,
                Some(30),
                Immediate,
                "https://github.com/mastodon/mastodon/blob/main/streaming/index.js",
            ),
        ],
        source: "https://docs.joinmastodon.org/admin/install/#setting-up-nginx",
    },
    App {
        id: "discourse",
        name: "Discourse (message-bus)",
        ports: &[],
        shared_ports: &[],
        names: &["discourse"],
        endpoints: &[ep(
            "/message-bus/x/poll",
            LongPoll,
            Some(25),
            Immediate,
            "https://github.com/discourse/message_bus#long-polling",
        )],
        source: "https://github.com/discourse/discourse/blob/main/config/nginx.sample.conf",
    },
    App {
        id: "zulip",
        name: "Zulip",
        ports: &[],
        shared_ports: &[],
        names: &["zulip", "tornado"],
        endpoints: &[
            ep(
                "/json/events",
                LongPoll,
                Some(45),
                Immediate,
                "https://zulip.readthedocs.io/en/latest/subsystems/events-system.html",
            ),
            ep(
                "/api/v1/events",
                LongPoll,
                Some(45),
                Immediate,
                "https://zulip.com/api/get-events",
            ),
        ],
        source: "https://zulip.readthedocs.io/en/latest/production/reverse-proxies.html",
    },
    App {
        id: "socket-io",
        name: "Socket.IO (any server)",
        ports: &[],
        shared_ports: &[],
        names: &["socketio", "socket-io"],
        endpoints: &[ep("/socket.io/", WebSocket, Some(25), Immediate, SOCKET_IO)],
        source: "https://socket.io/docs/v4/reverse-proxy/#nginx",
    },
    App {
        id: "audiobookshelf",
        name: "Audiobookshelf",
        // The port its docs publish (`-p 13378:80`); inside its image it listens on 80.
        ports: &[13378],
        shared_ports: &[],
        names: &["audiobookshelf"],
        // The web client connects with `transports: ['websocket'], upgrade: false`
        // (client/layouts/default.vue): no long-polling fallback (held-out batch 276,
        // measured: the handshake through a plain `location /` got 400).
        endpoints: &[ep("/socket.io/", WebSocket, Some(25), Immediate, SOCKET_IO)],
        source: "https://www.audiobookshelf.org/docs#reverse-proxy-set-up",
    },
    App {
        id: "etherpad",
        name: "Etherpad",
        // 9001 is also MinIO's console and supervisord's port.
        ports: &[],
        shared_ports: &[],
        names: &["etherpad"],
        endpoints: &[ep("/socket.io/", WebSocket, Some(25), Immediate, SOCKET_IO)],
        source: "https://github.com/ether/etherpad-lite/wiki/How-to-put-Etherpad-Lite-behind-a-reverse-Proxy",
    },
    App {
        id: "hedgedoc",
        name: "HedgeDoc",
        ports: &[],
        shared_ports: &[],
        names: &["hedgedoc", "codimd"],
        endpoints: &[ep("/socket.io/", WebSocket, Some(25), Immediate, SOCKET_IO)],
        source: "https://docs.hedgedoc.org/guides/reverse-proxy/",
    },
    App {
        id: "immich",
        name: "Immich",
        ports: &[2283],
        shared_ports: &[],
        // `immich-server`, its Compose service, on 3001 until v1.118 (held-out batch 102).
        names: &["immich", "immich-server", "immich_server"],
        endpoints: &[ep(
            "/api/socket.io/",
            WebSocket,
            Some(25),
            Immediate,
            "https://immich.app/docs/administration/reverse-proxy/",
        )],
        source: "https://immich.app/docs/administration/reverse-proxy/",
    },
    App {
        id: "peertube",
        name: "PeerTube",
        // 9000 is php-fpm's port too: not a PeerTube sign.
        ports: &[],
        shared_ports: &[],
        names: &["peertube"],
        endpoints: &[
            ep(
                "/socket.io/",
                WebSocket,
                Some(25),
                Immediate,
                "https://github.com/Chocobozzz/PeerTube/blob/develop/support/nginx/peertube",
            ),
            ep(
                "/tracker/socket",
                WebSocket,
                None,
                Immediate,
                "https://github.com/Chocobozzz/PeerTube/blob/develop/support/nginx/peertube",
            ),
        ],
        source: "https://docs.joinpeertube.org/install/any-os#webserver",
    },
    App {
        id: "n8n",
        name: "n8n",
        ports: &[5678],
        shared_ports: &[],
        names: &["n8n"],
        // The editor sends a heartbeat message every 30 s (beside the server's 60 s pings).
        endpoints: &[ep(
            "/rest/push",
            WebSocket,
            Some(30),
            Immediate,
            "https://github.com/n8n-io/n8n/blob/14e1012517b360b4df6540e6125521c2ad012b59/packages/frontend/editor-ui/src/push-connection/useWebSocketClient.ts#L29-L35",
        )],
        source: "https://docs.n8n.io/hosting/installation/server-setups/",
    },
    App {
        id: "tensorboard",
        name: "TensorBoard",
        ports: &[6006],
        shared_ports: &[],
        names: &["tensorboard"],
        // A WSGI application on werkzeug's HTTP server: ordinary responses only, no
        // WebSocket (held-out batch 131: `Upgrade` lines copied in front of it).
        endpoints: &[ep(
            "/data/plugins_listing",
            Plain,
            None,
            Immediate,
            "https://github.com/tensorflow/tensorboard/blob/master/tensorboard/program.py",
        )],
        source: "https://www.tensorflow.org/tensorboard/get_started",
    },
    App {
        id: "hue",
        name: "Hue",
        // Hue's `http_port=8888` is Jupyter Server's default too: never a guess by port, but a
        // site named for Hue on it is Hue (held-out batch 302, Hue's own `hue.conf`).
        ports: &[],
        shared_ports: &[8888],
        names: &["hue", "cloudera-hue"],
        // A Django application: ordinary responses; its editor's WebSocket is off unless
        // `[[websockets]] enabled` (default `False`, desktop/conf.py).
        endpoints: &[ep(
            "/hue/editor",
            Plain,
            None,
            Immediate,
            "https://github.com/cloudera/hue/blob/96baf7e22b26f063/desktop/core/src/desktop/conf.py",
        )],
        source: "https://github.com/cloudera/hue/blob/96baf7e22b26f063/desktop/conf.dist/hue.ini",
    },
    App {
        id: "lemmy",
        name: "Lemmy",
        ports: &[8536],
        shared_ports: &[],
        names: &["lemmy"],
        // 0.18 removed the WebSocket API: the HTTP API answers with ordinary responses.
        endpoints: &[ep(
            "/api/v3/site",
            Plain,
            None,
            Immediate,
            "https://join-lemmy.org/news/2023-06-23_-_Lemmy_Release_v0.18.0",
        )],
        source: "https://join-lemmy.org/docs/administration/install_docker.html",
    },
    App {
        id: "sillytavern",
        name: "SillyTavern",
        ports: &[],
        shared_ports: &[],
        names: &["sillytavern"],
        endpoints: &[ep(
            "/api/backends/chat-completions/generate",
            Sse,
            None,
            Minutes,
            "https://docs.sillytavern.app/usage/api-connections/",
        )],
        source: "https://docs.sillytavern.app/installation/",
    },
    App {
        id: "filebrowser",
        name: "File Browser",
        // 8080 is everyone's port.
        ports: &[],
        shared_ports: &[],
        names: &["filebrowser", "file-browser"],
        endpoints: &[
            // The command runner: a WebSocket that sends a command's output line by line and
            // never pings, so a command silent for longer than the read timeout is cut (it runs
            // only where the administrator enabled command execution).
            ep(
                "/api/command/",
                WebSocket,
                None,
                Immediate,
                "https://github.com/filebrowser/filebrowser/blob/master/http/commands.go",
            ),
            ep(
                "/api/resources/",
                Plain,
                None,
                Immediate,
                "https://github.com/filebrowser/filebrowser/blob/master/http/http.go",
            ),
        ],
        source: "https://filebrowser.org/installation",
    },
    App {
        id: "tusd",
        name: "tusd (tus resumable uploads)",
        ports: &[],
        shared_ports: &[],
        names: &["tusd"],
        // Uploads are ordinary PATCH requests answered when the chunk is stored; tusd's own
        // nginx example turns request buffering off for them, nothing streams back.
        endpoints: &[ep(
            "/files/",
            Plain,
            None,
            Immediate,
            "https://github.com/tus/tusd/blob/main/examples/nginx.conf",
        )],
        source: "https://github.com/tus/tusd/blob/main/examples/nginx.conf",
    },
    // After Ollama: `known_endpoint` gives the first app's facts for a bare `/api/chat`.
    App {
        id: "khoj",
        name: "Khoj",
        ports: &[42110],
        shared_ports: &[],
        names: &["khoj"],
        // The web chat streams the answer as a `text/plain` body (`stream=true`), sending no
        // `X-Accel-Buffering`; the web app's chat page talks over a WebSocket at
        // `/api/chat/ws` (held-out batch 114's miss), under uvicorn, which pings every 20 s
        // by default (Khoj sets only `ws_ping_timeout`).
        endpoints: &[
            ep(
                "/api/chat",
                Ndjson,
                None,
                Minutes,
                "https://github.com/khoj-ai/khoj/blob/4359b83/src/khoj/routers/api_chat.py",
            ),
            ep(
                "/api/chat/ws",
                WebSocket,
                Some(20),
                Immediate,
                "https://github.com/khoj-ai/khoj/blob/ae229ca894c0b80ad84664afcfdde523b5e87057/src/khoj/routers/api_chat.py#L1489",
            ),
        ],
        source: "https://docs.khoj.dev/get-started/setup",
    },
    App {
        id: "qanything",
        name: "QAnything",
        ports: &[8777],
        shared_ports: &[],
        names: &["qanything"],
        // `ResponseStream(..., content_type='text/event-stream')`, no `X-Accel-Buffering`.
        endpoints: &[ep(
            "/api/local_doc_qa/local_doc_chat",
            Sse,
            None,
            Minutes,
            "https://github.com/netease-youdao/QAnything/blob/0cb98dfeb186/qanything_kernel/qanything_server/handler.py",
        )],
        source: "https://github.com/netease-youdao/QAnything/blob/0cb98dfeb186/nginx.conf",
    },
    App {
        id: "libre-webui",
        name: "Libre WebUI",
        // Its backend's port 3001 (`PORT` in `backend/.env.example`) is Uptime Kuma's too.
        ports: &[],
        shared_ports: &[],
        names: &["libre-webui", "librewebui"],
        // Chat answers are Server-Sent Events under `/api/chat` (`POST
        // /sessions/:sessionId/generate/stream`), with no keepalive, the first token once the
        // model is loaded; no `X-Accel-Buffering`.
        endpoints: &[ep(
            "/api/chat/sessions/1/generate/stream",
            Sse,
            None,
            Minutes,
            "https://github.com/libre-webui/libre-webui/blob/c9acdeab/backend/src/routes/chat.ts",
        )],
        source: "https://github.com/libre-webui/libre-webui/blob/c9acdeab/nginx.conf",
    },
    App {
        id: "anything-llm",
        name: "AnythingLLM",
        // 3001 is Uptime Kuma's port too: no guess, but `anythingllm-api:8000` is a service
        // built around it (held-out batch 150: a FastAPI wrapper with no WebSocket).
        ports: &[],
        shared_ports: &[3001],
        names: &["anything-llm", "anythingllm"],
        // The agent session's WebSocket sends no pings and waits minutes for the user's
        // feedback or a tool's approval.
        endpoints: &[ep(
            "/api/agent-invocation/",
            WebSocket,
            None,
            Immediate,
            "https://github.com/Mintplex-Labs/anything-llm/blob/master/server/endpoints/agentWebsocket.js",
        )],
        source: "https://docs.anythingllm.com/installation-docker/overview",
    },
    App {
        id: "appflowy-cloud",
        name: "AppFlowy Cloud",
        // 8000 is everyone's port.
        ports: &[],
        shared_ports: &[],
        names: &["appflowy"],
        // The AI completions answer `text/event-stream` without `X-Accel-Buffering`; AppFlowy's
        // own nginx configuration turns buffering off for `/api/chat` only.
        endpoints: &[
            ep("/api/ai/x/complete/stream", Sse, None, Minutes, APPFLOWY_AI),
            ep(
                "/api/ai/x/v2/complete/stream",
                Sse,
                None,
                Minutes,
                APPFLOWY_AI,
            ),
        ],
        source: "https://github.com/AppFlowy-IO/AppFlowy-Cloud/blob/4fb9c929/nginx/nginx.conf",
    },
    App {
        id: "moonraker",
        name: "Moonraker (Klipper API)",
        ports: &[7125],
        shared_ports: &[],
        names: &["moonraker"],
        // WebSockets only at `/websocket` (and `/klippysocket`, a local bridge); the printer,
        // server, machine and access APIs answer ordinary requests.
        endpoints: &[
            ep(
                "/websocket",
                WebSocket,
                None,
                Immediate,
                MOONRAKER_WEBSOCKETS,
            ),
            ep(
                "/printer/info",
                Plain,
                None,
                Immediate,
                MOONRAKER_WEBSOCKETS,
            ),
            ep("/server/info", Plain, None, Immediate, MOONRAKER_WEBSOCKETS),
            ep(
                "/machine/system_info",
                Plain,
                None,
                Immediate,
                MOONRAKER_WEBSOCKETS,
            ),
            ep("/access/info", Plain, None, Immediate, MOONRAKER_WEBSOCKETS),
            ep("/api/version", Plain, None, Immediate, MOONRAKER_WEBSOCKETS),
        ],
        source: "https://moonraker.readthedocs.io/en/latest/installation/",
    },
    App {
        id: "jellyfin",
        name: "Jellyfin",
        ports: &[8096, 8920],
        shared_ports: &[],
        names: &["jellyfin"],
        // Clients open their WebSocket at `/socket` (the server upgrades any path). The server
        // sends `ForceKeepAlive` on connect and again, on a 12 s tick, once a client has been
        // quiet for 45 s, and each client `KeepAlive` is answered: the wire is never silent
        // longer than 57 s (`WebSocketLostTimeout` 60, `IntervalFactor` 0.2,
        // `ForceKeepAliveFactor` 0.75); the older web client also sends a `KeepAlive` every 30 s.
        // No SSE or long-poll endpoints; media is ordinary (ranged, HLS) responses.
        endpoints: &[ep(
            "/socket",
            WebSocket,
            Some(57),
            Immediate,
            JELLYFIN_KEEPALIVE,
        )],
        source: "https://jellyfin.org/docs/general/networking/nginx",
    },
    App {
        id: "guacamole",
        name: "Apache Guacamole",
        // Tomcat's 8080 names no app.
        ports: &[],
        shared_ports: &[],
        names: &["guacamole"],
        // The client tries the WebSocket tunnel first and falls back to the HTTP tunnel, whose
        // reads are long streamed responses (`application/octet-stream`) that must not be
        // buffered (the manual: "Do not forget to specify proxy_buffering off"). The JS client
        // pings the WebSocket every 0.5 s (`PING_FREQUENCY`) and the server echoes it; guacd
        // writes a no-op after 5 s of silence (`GUAC_SOCKET_KEEP_ALIVE_INTERVAL`), which is
        // what keeps an HTTP tunnel read alive.
        endpoints: &[
            ep(
                "/guacamole/websocket-tunnel",
                WebSocket,
                Some(1),
                Immediate,
                GUACAMOLE_TUNNEL_JS,
            ),
            ep(
                "/guacamole/tunnel",
                Ndjson,
                Some(5),
                Immediate,
                "https://github.com/apache/guacamole-server/blob/6719b20d09b767d30915c5e1c626a7a72fc75a59/src/libguac/guacamole/socket-constants.h",
            ),
        ],
        source: "https://guacamole.apache.org/doc/gug/reverse-proxy.html",
    },
    App {
        id: "node-red",
        name: "Node-RED",
        ports: &[1880],
        shared_ports: &[],
        names: &["node-red", "nodered"],
        // The editor's `comms` socket: the server sends `hb` every 15 s
        // (`webSocketKeepAliveTime`).
        endpoints: &[ep(
            "/comms",
            WebSocket,
            Some(15),
            Immediate,
            "https://github.com/node-red/node-red/blob/1f38dc899b1d6d24b05369023ef2d83b808cd55d/packages/node_modules/@node-red/editor-api/lib/editor/comms.js",
        )],
        source: "https://nodered.org/docs/user-guide/runtime/configuration",
    },
    App {
        id: "octoprint",
        name: "OctoPrint",
        // 5000 is Flask's too.
        ports: &[],
        shared_ports: &[],
        names: &["octoprint", "octopi"],
        // SockJS: the server sends an `h` frame every 25 s (`heartbeat_delay`).
        endpoints: &[ep(
            "/sockjs/x/x/websocket",
            WebSocket,
            Some(25),
            Immediate,
            "https://github.com/OctoPrint/OctoPrint/blob/744c835969d6a0adc512a668a5d5abec0415dda0/src/octoprint/vendor/sockjs/tornado/router.py",
        )],
        source: "https://docs.octoprint.org/en/master/api/push.html",
    },
    App {
        id: "vaultwarden",
        name: "Vaultwarden",
        // 80 in its image, 8000 as Rocket's default: neither names it. The separate
        // WebSocket port 3012 is gone since 1.31.0.
        ports: &[],
        shared_ports: &[],
        // Its old names, and Bitwarden's: the official server answers the same API (the
        // same attachment paths and notifications hub).
        names: &[
            "vaultwarden",
            "bitwarden_rs",
            "bitwarden-rs",
            "bitwardenrs",
            "bitwarden",
        ],
        // SignalR hubs on the main port; the server pings every 15 s, first on connect.
        endpoints: &[
            ep(
                "/notifications/hub",
                WebSocket,
                Some(15),
                Immediate,
                VAULTWARDEN_HUB,
            ),
            ep(
                "/notifications/anonymous-hub",
                WebSocket,
                Some(15),
                Immediate,
                VAULTWARDEN_HUB,
            ),
        ],
        source: "https://github.com/dani-garcia/vaultwarden/wiki/Proxy-examples",
    },
    App {
        id: "wekan",
        name: "Wekan (Meteor)",
        // 8080 in its image: names nothing.
        ports: &[],
        shared_ports: &[],
        names: &["wekan"],
        // Meteor's DDP: a side pings when it has heard nothing for a whole interval (server
        // 15 s, client 17.5 s) and the other answers, so an idle socket is never silent for
        // 30 s.
        endpoints: &[
            ep("/websocket", WebSocket, Some(30), Immediate, METEOR_DDP),
            ep(
                "/sockjs/x/x/websocket",
                WebSocket,
                Some(30),
                Immediate,
                METEOR_DDP,
            ),
        ],
        source: "https://github.com/wekan/wekan/wiki/Nginx-Webserver-Config",
    },
    App {
        id: "cockpit",
        name: "Cockpit",
        // 9090 is Prometheus's port too.
        ports: &[],
        shared_ports: &[],
        names: &["cockpit"],
        // The server pings every 5 s (`cockpit_ws_ping_interval`), the client every 30 s.
        endpoints: &[ep(
            "/cockpit/socket",
            WebSocket,
            Some(5),
            Immediate,
            "https://github.com/cockpit-project/cockpit/blob/233b1c178dcb95ccef356832afd9d60023d601e9/src/ws/cockpitwebservice.c",
        )],
        source: "https://github.com/cockpit-project/cockpit/wiki/Proxying-Cockpit-over-NGINX",
    },
    App {
        id: "matrix",
        name: "Matrix homeserver",
        // 8008 is Refact's port too: by its names only.
        ports: &[],
        shared_ports: &[],
        names: &[
            "synapse",
            "matrix-synapse",
            "matrix",
            "dendrite",
            "conduwuit",
            "conduit",
        ],
        // The client-server API answers with ordinary responses; `/sync` is a long poll of 30 s
        // at most by default, under nginx's 60 s.
        endpoints: &[ep(
            "/_matrix/client/versions",
            Plain,
            None,
            Immediate,
            "https://spec.matrix.org/latest/client-server-api/",
        )],
        source: "https://github.com/element-hq/synapse/blob/develop/docs/reverse_proxy.md",
    },
    App {
        id: "refact",
        name: "Refact (self-hosted)",
        // Its server listens on 8008, Synapse's port too: by its names only.
        ports: &[],
        shared_ports: &[],
        names: &["refact"],
        // FastAPI `StreamingResponse`s of `data: ...` events under `/v1`, no
        // `X-Accel-Buffering` (held-out batch 168: through its own webgui nginx.conf, HTTP/1.0
        // and buffering on, all six events at 3.00 s, measured).
        endpoints: &[
            ep(
                "/v1/completions",
                Sse,
                None,
                Immediate,
                "https://github.com/smallcloudai/refact/blob/main/refact-server/self_hosting_machinery/webgui/selfhost_fastapi_completions.py",
            ),
            ep(
                "/v1/chat",
                Sse,
                None,
                Immediate,
                "https://github.com/smallcloudai/refact/blob/main/refact-server/self_hosting_machinery/webgui/selfhost_fastapi_completions.py",
            ),
        ],
        source: "https://docs.refact.ai/guides/reverse-proxy/",
    },
    App {
        id: "nextcloud-aio",
        name: "Nextcloud All-in-One (its Apache front)",
        // AIO's documented `APACHE_PORT`, the port a reverse proxy in front of it reaches.
        ports: &[11000],
        shared_ports: &[],
        names: &["nextcloud-aio-apache", "nextcloud-aio"],
        // Its Caddy routes notify_push (`route /push/*` to port 7867) and Talk's signaling
        // server (`route /standalone-signaling/*`), both WebSockets (held-out batch 166:
        // without the upgrade lines AIO's documentation gives, both handshakes got 200).
        endpoints: &[
            ep(
                "/push/ws",
                WebSocket,
                Some(31),
                Immediate,
                "https://github.com/nextcloud/all-in-one/blob/main/Containers/apache/caddy-imports/notify-push",
            ),
            ep(
                "/standalone-signaling/",
                WebSocket,
                None,
                Immediate,
                "https://github.com/nextcloud/all-in-one/blob/main/Containers/apache/caddy-imports/talk",
            ),
        ],
        source: "https://github.com/nextcloud/all-in-one/blob/main/reverse-proxy.md",
    },
    App {
        id: "teslamate",
        name: "TeslaMate",
        // Its `PORT` defaults to 4000, Phoenix's own default and many other apps': no guess
        // from the port alone.
        ports: &[],
        shared_ports: &[],
        names: &["teslamate"],
        // Phoenix LiveView: every page joins `socket "/live"` over WebSocket only (no long-poll
        // fallback declared), the client's heartbeat every 30 s. Held-out batch 321, its docs'
        // UNIX-socket example (`location / { proxy_pass http://teslamate.uds; }`): the
        // handshake to `/live/websocket` got 200, not 101, measured.
        endpoints: &[ep(
            "/live/websocket",
            WebSocket,
            Some(30),
            Immediate,
            "https://github.com/teslamate-org/teslamate/blob/8a692e29346d/lib/teslamate_web/endpoint.ex",
        )],
        source: "https://github.com/teslamate-org/teslamate/blob/8a692e29346d/website/docs/advanced_guides/unix_domain_sockets.md",
    },
    App {
        id: "ttyd",
        name: "ttyd",
        // `info.port = 7681` (src/server.c).
        ports: &[7681],
        shared_ports: &[],
        names: &["ttyd"],
        // The terminal page at `/` opens `/ws` (protocol `tty`); the server pings every 5 s
        // by default (`--ping-interval`). Held-out batch 165: without the upgrade headers the
        // page loaded and the terminal never connected (200, not 101).
        endpoints: &[ep(
            "/ws",
            WebSocket,
            Some(5),
            Immediate,
            "https://github.com/tsl0922/ttyd/blob/main/src/server.c",
        )],
        source: "https://github.com/tsl0922/ttyd/wiki/Nginx-reverse-proxy",
    },
    App {
        id: "notify-push",
        name: "Nextcloud notify_push",
        ports: &[7867],
        shared_ports: &[],
        names: &["notify_push", "notify-push"],
        // The daemon's `/ws`, published under `/push/`; a ping after 30 s without a send,
        // checked every 0.5 s (`PING_INTERVAL`).
        endpoints: &[ep(
            "/push/ws",
            WebSocket,
            Some(31),
            Immediate,
            "https://github.com/nextcloud/notify_push/blob/b2a74204f7dce743ad4faf1e06abdda577af54cc/src/connection.rs",
        )],
        source: "https://github.com/nextcloud/notify_push#reverse-proxy",
    },
    App {
        id: "uptime-kuma",
        name: "Uptime Kuma",
        // 3001 is also Libre WebUI's and AnythingLLM's.
        ports: &[],
        shared_ports: &[],
        names: &["uptime-kuma", "uptime_kuma", "uptimekuma"],
        // Socket.IO with the default ping interval (no `pingInterval` set in its server).
        endpoints: &[ep("/socket.io/", WebSocket, Some(25), Immediate, SOCKET_IO)],
        source: "https://github.com/louislam/uptime-kuma/wiki/Reverse-Proxy",
    },
    App {
        id: "docker-engine",
        name: "Docker Engine API",
        // "Conventionally ... 2375 for un-encrypted, and port 2376 for encrypted".
        ports: &[2375, 2376],
        shared_ports: &[],
        names: &[
            "docker.sock",
            "docker-socket-proxy",
            "docker_socket_proxy",
            "dockerd",
        ],
        // `docker events` and `docker logs -f` hold one response open and write as things
        // happen, with no heartbeat (held-out batch 100: a sidecar's events arrived only when
        // the buffer filled, and a quiet minute ended the stream).
        endpoints: &[
            ep("/events", Ndjson, None, Immediate, DOCKER_SYSTEM_ROUTES),
            typed(
                ep(
                    "/containers/x/logs",
                    Ndjson,
                    None,
                    Immediate,
                    DOCKER_CONTAINER_ROUTES,
                ),
                "application/vnd.docker.multiplexed-stream",
            ),
        ],
        source: "https://docs.docker.com/reference/cli/dockerd/#daemon-socket-option",
    },
    App {
        id: "langflow",
        name: "Langflow",
        // 7860, as Gradio's: a port names neither.
        ports: &[],
        shared_ports: &[],
        names: &["langflow"],
        // The UI's flow builds stream their events as NDJSON by default (`event_delivery`).
        endpoints: &[ep(
            "/api/v1/build/x/events",
            Ndjson,
            None,
            Minutes,
            "https://github.com/ClearXs/langflow/blob/1f134c479725b0e41e75dad3d7ba5c042fcbd96b/src/backend/base/langflow/api/v1/chat.py#L197",
        )],
        source: "https://github.com/ClearXs/langflow/blob/1f134c479725b0e41e75dad3d7ba5c042fcbd96b/docs/openapi.json",
    },
    App {
        id: "flowise",
        name: "Flowise",
        // 3000, as Grafana and most Node apps: a port names nothing.
        ports: &[],
        shared_ports: &[],
        names: &["flowise"],
        // A prediction asked with `streaming: true` answers as server-sent events, with no
        // heartbeat (held-out batch 131, measured: a 70 s silence cut at 60.07 s by nginx's
        // default read timeout), and with `X-Accel-Buffering: no` (its predictions
        // controller); the web UI streams through the internal route.
        endpoints: &[
            unbuffered(ep(
                "/api/v1/prediction/x",
                Sse,
                None,
                Minutes,
                "https://docs.flowiseai.com/using-flowise/streaming",
            )),
            unbuffered(ep(
                "/api/v1/internal-prediction/x",
                Sse,
                None,
                Minutes,
                "https://github.com/FlowiseAI/Flowise/blob/00d8fb4cbb73c08fd23c711ceaba63d55e2c08cf/packages/server/src/controllers/predictions/index.ts",
            )),
        ],
        source: "https://docs.flowiseai.com/using-flowise/prediction",
    },
    App {
        id: "openhab",
        name: "openHAB",
        // 8080 and 8443, as many Java servers: a port names nothing.
        ports: &[],
        shared_ports: &[],
        names: &["openhab"],
        // The REST API's event streams (`/rest/events`, `/rest/events/states`, the sitemap
        // subscriptions at `/rest/sitemaps/events/<id>`) answer server-sent events with
        // `X-Accel-Buffering: no` ("This allows you to not disable proxy buffering in nginx",
        // SseResource.java; held-out batch 304: measured, on time through buffering nginx).
        endpoints: &[
            unbuffered(ep("/rest/events", Sse, None, Immediate, OPENHAB_SSE)),
            unbuffered(ep("/rest/events/states", Sse, None, Immediate, OPENHAB_SSE)),
            unbuffered(ep(
                "/rest/sitemaps/events/x",
                Sse,
                None,
                Immediate,
                OPENHAB_SSE,
            )),
        ],
        source: "https://www.openhab.org/docs/installation/security.html",
    },
    App {
        id: "paperless-ngx",
        name: "Paperless-ngx",
        // 8000, as many Django and FastAPI apps.
        ports: &[],
        shared_ports: &[],
        names: &["paperless"],
        // Its uploads ([`UPLOADS`]), and the status WebSocket the web UI follows consumption
        // and upload progress on (`websocket_urlpatterns`; measured in held-out batch 125:
        // through a location without the upgrade headers the handshake reaches it as plain
        // HTTP/1.0). It sends no pings of its own.
        endpoints: &[ep(
            "/ws/status/",
            WebSocket,
            None,
            Immediate,
            PAPERLESS_URLS,
        )],
        source: PAPERLESS_URLS,
    },
    App {
        id: "portainer",
        name: "Portainer",
        // 9000 and 9443 are MinIO's, PHP-FPM's and authentik's too.
        ports: &[],
        shared_ports: &[],
        names: &["portainer"],
        // Container consoles: Portainer pings a local Docker exec or attach every 50 s
        // (`pingPeriod`); Kubernetes shells, and consoles relayed through an agent, are not
        // pinged by Portainer, so they are left out (what an agent does is not known).
        endpoints: &[
            ep(
                "/api/websocket/exec",
                WebSocket,
                Some(50),
                Immediate,
                PORTAINER_HIJACK,
            ),
            ep(
                "/api/websocket/attach",
                WebSocket,
                Some(50),
                Immediate,
                PORTAINER_HIJACK,
            ),
        ],
        source: "https://docs.portainer.io/advanced/reverse-proxy/nginx",
    },
    App {
        id: "chatgpt-web",
        name: "ChatGPT Web",
        // Its Express service listens on 3002 (`app.listen(3002, ...)`), a port many Node
        // services take: only its names say it is ChatGPT Web.
        ports: &[],
        shared_ports: &[],
        names: &["chatgpt-web", "chatgpt_web"],
        // `POST /chat-process`, mounted at `/` and at `/api`: each token's message written as
        // it comes (`res.write`, newline-separated JSON, `application/octet-stream`), no
        // heartbeat. The model is OpenAI's API, which answers within seconds: no local model
        // to load before the first token.
        endpoints: &[
            ep("/api/chat-process", Ndjson, None, Immediate, CHATGPT_WEB),
            ep("/chat-process", Ndjson, None, Immediate, CHATGPT_WEB),
        ],
        source: CHATGPT_WEB,
    },
    App {
        id: "onlyoffice",
        name: "ONLYOFFICE Docs",
        // The container's 80 and DocService's own 8000 name many apps.
        ports: &[],
        shared_ports: &[],
        names: &["onlyoffice", "documentserver", "docservice"],
        // The editors' co-editing socket: Socket.IO 4 at `/doc/<docid>/c/` behind the version
        // prefix the bundled nginx strips (`/9.0.0-abc/doc/<docid>/c/?EIO=4`), WebSocket first
        // and long-polling after; the server pings every 25 s (`pingInterval` 25000 in
        // DocService's default.json). The other endpoints (`/coauthoring/CommandService.ashx`,
        // `/converter`, `/healthcheck`, downloads) are ordinary requests.
        endpoints: &[ep(
            "/9.0.0-1/doc/x/c/",
            WebSocket,
            Some(25),
            Immediate,
            ONLYOFFICE_SOCKET_IO,
        )],
        source: "https://github.com/ONLYOFFICE/document-server-proxy/blob/ce870dbb883bb3030198d9e7b2c32ee2ed079c72/nginx/minimal.conf",
    },
    App {
        id: "letta",
        name: "Letta",
        // `REST_DEFAULT_PORT = 8283` (letta/server/constants.py).
        ports: &[8283],
        shared_ports: &[],
        names: &["letta"],
        // `POST /v1/agents/{agent_id}/messages/stream` answers with `text/event-stream`, a
        // keepalive ping every 20 s by default (`include_pings` true, `keepalive_interval`
        // 20.0 in letta/settings.py). `POST .../messages` streams only when the body asks.
        endpoints: &[ep(
            "/v1/agents/x/messages/stream",
            Sse,
            Some(20),
            Immediate,
            LETTA_STREAM,
        )],
        source: "https://github.com/letta-ai/letta/blob/56ba9c25552605eec89de8ed3dc6394b625c1993/letta/server/constants.py#L6",
    },
    App {
        id: "crawl4ai",
        name: "Crawl4AI",
        // The Docker server's `app.port: 11235` (deploy/docker/config.yml).
        ports: &[11235],
        shared_ports: &[],
        names: &["crawl4ai"],
        // `POST /crawl/stream`: one JSON line per crawled page (`application/x-ndjson`), no
        // heartbeat between pages; the monitor's WebSocket sends its state every 2 s.
        endpoints: &[
            ep("/crawl/stream", Ndjson, None, Immediate, CRAWL4AI_STREAM),
            ep(
                "/monitor/ws",
                WebSocket,
                Some(2),
                Immediate,
                CRAWL4AI_MONITOR,
            ),
        ],
        source: "https://github.com/unclecode/crawl4ai/blob/7e801521428ee12509994d39151006f64055ebe3/deploy/docker/config.yml#L9",
    },
    App {
        id: "shiny-server",
        name: "Shiny Server",
        // Its packages' `shiny-server.conf` listens on 3838.
        ports: &[3838],
        shared_ports: &[],
        names: &["shiny-server", "shiny_server", "shinyserver", "shiny"],
        // Each app's session is SockJS at `<app>/__sockjs__/`, a WebSocket first (the HTTP
        // transports are the fallback where the upgrade fails); SockJS sends an `h` frame
        // every 25 s (`sockjs_heartbeat_delay`, sockjs-node's default). Its documentation
        // asks nginx for the `Upgrade`/`Connection` headers (held-out batch 143: without
        // them the handshake got 200, not 101, measured).
        endpoints: &[ep(
            "/x/__sockjs__/n=x/x/x/websocket",
            WebSocket,
            Some(25),
            Immediate,
            "https://docs.posit.co/shiny-server/#running-shiny-server-with-a-proxy",
        )],
        source: "https://docs.posit.co/shiny-server/#default-configuration",
    },
    App {
        id: "chatwoot",
        name: "Chatwoot",
        // Rails on 3000, everyone's port: no guess, but a target naming Chatwoot on another
        // port is another service.
        ports: &[],
        shared_ports: &[3000],
        names: &["chatwoot"],
        // The live conversation updates are ActionCable at `/cable`, which pings every 3 s
        // (`ActionCable::Server::Connections::BEAT_INTERVAL`); its nginx guide forwards the
        // upgrade headers (held-out batch 161: without them the handshake reached the app as
        // a plain HTTP/1.0 request and got 404, measured).
        endpoints: &[ep(
            "/cable",
            WebSocket,
            Some(3),
            Immediate,
            "https://github.com/chatwoot/chatwoot/blob/develop/config/routes.rb",
        )],
        source: "https://www.chatwoot.com/docs/self-hosted/deployment/linux-vm",
    },
    App {
        id: "stackstorm",
        name: "StackStorm",
        // st2stream's port (st2api 9101 and st2auth 9100 answer ordinary requests).
        // Prometheus' statsd exporter takes 9102 too, at `/metrics`, which routes no stream.
        ports: &[9102],
        shared_ports: &[],
        names: &["st2stream", "stackstorm"],
        // The event stream is SSE; the service sends an empty message every 25 s (`[stream]
        // heartbeat`). Its nginx guide serves it at `/stream/` and, for older clients, at
        // `/api/v1/stream` (held-out batch 331: a 60 s `proxy_read_timeout` reported as
        // cutting it).
        endpoints: &[
            ep(
                "/stream/v1/stream",
                Sse,
                Some(25),
                Immediate,
                STACKSTORM_STREAM,
            ),
            ep(
                "/api/v1/stream",
                Sse,
                Some(25),
                Immediate,
                STACKSTORM_STREAM,
            ),
            ep("/v1/stream", Sse, Some(25), Immediate, STACKSTORM_STREAM),
        ],
        source: "https://docs.stackstorm.com/reference/ha.html",
    },
    App {
        id: "gitlab",
        name: "GitLab",
        // Workhorse listens on a socket or 8181, Tautulli's port too: no guess, but a site
        // named `gitlab.*` proxying to another port is another service (held-out batch 337, a
        // `gitlab.` site left proxying Transmission).
        ports: &[],
        shared_ports: &[8181],
        names: &["gitlab"],
        // Real-time updates (issues, merge requests) are ActionCable at `/-/cable`, which pings
        // every 3 s (`ActionCable::Server::Connections::BEAT_INTERVAL`); GitLab's own nginx
        // configuration forwards the upgrade headers (held-out batch 337: a plain `location /`
        // to `gitlab:80` answered the handshake 200, measured).
        endpoints: &[ep(
            "/-/cable",
            WebSocket,
            Some(3),
            Immediate,
            "https://gitlab.com/gitlab-org/gitlab/-/blob/master/config/routes.rb",
        )],
        source: "https://docs.gitlab.com/ee/administration/reference_architectures/",
    },
    App {
        id: "strapi",
        name: "Strapi",
        // 1337 is Sails.js's default too: by name only.
        ports: &[],
        shared_ports: &[],
        names: &["strapi"],
        endpoints: &[ep(
            "/api/upload",
            Plain,
            None,
            Immediate,
            "https://docs.strapi.io/cms/features/media-library",
        )],
        source: "https://docs.strapi.io/cms/configurations/media-library-providers",
    },
    App {
        id: "gitea",
        name: "Gitea",
        // Forgejo and Gogs are Gitea's fork and its parent: one layout of routes. 3000 is
        // every Node.js app's port too: by name only.
        ports: &[],
        shared_ports: &[],
        names: &["gitea", "forgejo", "gogs"],
        // Its only stream, `/user/events`, sends `X-Accel-Buffering: no` itself (held-out
        // batch 372: correctly silent).
        endpoints: &[ep(
            "/api/v1/version",
            Plain,
            None,
            Immediate,
            "https://docs.gitea.com/api/1.22/",
        )],
        source: "https://docs.gitea.com/administration/reverse-proxies",
    },
    App {
        id: "foundry-vtt",
        name: "Foundry Virtual Tabletop",
        // SGLang's default port too: 30000 names neither (held-out batch 338, a Foundry site
        // on 30000 taken for SGLang's streams).
        ports: &[],
        shared_ports: &[30000],
        names: &["foundryvtt", "foundry-vtt", "foundry_vtt"],
        // Its guide forwards the upgrade headers: the game runs over a socket.io WebSocket
        // (socket.io's default pings every 25 s; the server's source is not public).
        endpoints: &[ep("/socket.io/", WebSocket, Some(25), Immediate, SOCKET_IO)],
        source: "https://foundryvtt.com/article/nginx/",
    },
    App {
        id: "librechat",
        name: "LibreChat",
        // 3080 by default (`api/server/index.js`), a Node.js port others take too: by name
        // only (the Compose service is `api`, its container `LibreChat`).
        ports: &[],
        shared_ports: &[3080],
        names: &["librechat"],
        // A chat's answer: `POST /api/agents/chat/...` answers at once with the stream's id,
        // then `GET /api/agents/chat/stream/<id>` streams it as SSE with `X-Accel-Buffering:
        // no` and no heartbeat, silent until the model's first token (held-out batch 393: a
        // 60 s `proxy_read_timeout` cut it, measured). Its OpenAI-compatible and assistants
        // routes stream the same way.
        endpoints: &[
            unbuffered(ep(
                "/api/agents/chat/stream/x",
                Sse,
                None,
                Minutes,
                LIBRECHAT_STREAM,
            )),
            unbuffered(ep(
                "/api/agents/v1/chat/completions",
                Sse,
                None,
                Minutes,
                LIBRECHAT_OPENAI,
            )),
            unbuffered(ep(
                "/api/agents/v1/responses",
                Sse,
                None,
                Minutes,
                LIBRECHAT_RESPONSES,
            )),
            unbuffered(ep(
                "/api/assistants/v2/chat",
                Sse,
                None,
                Minutes,
                LIBRECHAT_ASSISTANTS,
            )),
            ep(
                "/assets/index.x.js",
                Static,
                None,
                Immediate,
                LIBRECHAT_ASSETS,
            ),
        ],
        source: LIBRECHAT_STREAM,
    },
    App {
        id: "lobehub",
        name: "LobeHub (LobeChat)",
        // 3210 (`next start -p 3210`): LobeHub's own port, and no other app's default.
        ports: &[3210],
        shared_ports: &[],
        names: &["lobehub", "lobe-chat", "lobechat", "lobe_chat"],
        // The chat's answer streams as SSE once the provider starts (up to its 300 s
        // `maxDuration`), with `X-Accel-Buffering: no` and no heartbeat; the agent runtime's
        // stream says `connected` at once and beats every 30 s. Uploads go to S3 directly
        // (presigned URLs), not through the app.
        endpoints: &[
            unbuffered(ep("/webapi/chat/openai", Sse, None, Minutes, LOBEHUB_CHAT)),
            unbuffered(ep(
                "/api/agent/stream",
                Sse,
                Some(30),
                Immediate,
                LOBEHUB_AGENT,
            )),
            ep(
                "/_next/static/chunks/x.js",
                Static,
                None,
                Immediate,
                LOBEHUB_CHAT,
            ),
        ],
        source: LOBEHUB_CHAT,
    },
    App {
        id: "ragflow",
        name: "RAGFlow",
        // 9380, the API server's port (`service_conf.yaml.template`), is no other app's
        // default.
        ports: &[9380],
        shared_ports: &[],
        names: &["ragflow"],
        // Chat, search and agent answers stream as SSE (`data:<json>`) with `X-Accel-Buffering:
        // no` and no heartbeat, after retrieval and the model's first token; its own
        // `proxy.conf` turns buffering off and reads for 3600 s (held-out batch 389's miss: a
        // fork that dropped the timeout cut a silent stream at 60 s, measured).
        endpoints: &[
            unbuffered(ep(
                "/api/v1/chat/completions",
                Sse,
                None,
                Minutes,
                RAGFLOW_CHAT,
            )),
            unbuffered(ep(
                "/api/v1/openai/x/chat/completions",
                Sse,
                None,
                Minutes,
                RAGFLOW_OPENAI,
            )),
            unbuffered(ep(
                "/api/v1/agents/chat/completions",
                Sse,
                None,
                Minutes,
                RAGFLOW_AGENT,
            )),
            unbuffered(ep(
                "/api/v1/searches/x/completions",
                Sse,
                None,
                Minutes,
                RAGFLOW_SEARCH,
            )),
            ep("/assets/css/x.css", Static, None, Immediate, RAGFLOW_WEB),
        ],
        source: RAGFLOW_PROXY,
    },
    // Penpot: its front-end image's nginx passes `/ws/notifications` (the collaboration
    // WebSocket) to the backend with the client's `Upgrade`; a proxy in front must pass it on
    // (held-out batch 433: `Connection ""` at `/` in front of `penpot-frontend:8080`, 426 from
    // a WebSocket backend, measured). No default port: the front end takes 8080 or 80, which
    // many services share; the backend's 6060 is Go's pprof default too.
    App {
        id: "penpot",
        name: "Penpot",
        ports: &[],
        shared_ports: &[],
        names: &["penpot"],
        endpoints: &[ep(
            "/ws/notifications",
            WebSocket,
            None,
            Immediate,
            PENPOT_FRONTEND_NGINX,
        )],
        source: "https://help.penpot.app/technical-guide/getting-started/docker/",
    },
    // Directus: its file library takes uploads at `POST /files`, with no size limit of its
    // own unless `FILES_MAX_UPLOAD_SIZE` is set (held-out batch 436: a 2 MB upload through
    // its Ubuntu tutorial's server block got 413, measured). Its WebSocket (`/websocket`) is
    // off unless `WEBSOCKETS_ENABLED`: no endpoint listed.
    App {
        id: "directus",
        name: "Directus",
        ports: &[8055],
        shared_ports: &[],
        names: &["directus"],
        endpoints: &[],
        source: "https://directus.io/docs/configuration/general",
    },
];

const PENPOT_FRONTEND_NGINX: &str =
    "https://github.com/penpot/penpot/blob/develop/docker/images/files/nginx.conf.template";

const LIBRECHAT_STREAM: &str = "https://github.com/danny-avila/LibreChat/blob/9e74cc0e57b395926122bd4062c1fcedc48ed465/api/server/routes/agents/index.js#L63-L90";
const LIBRECHAT_OPENAI: &str = "https://github.com/danny-avila/LibreChat/blob/9e74cc0e57b395926122bd4062c1fcedc48ed465/packages/api/src/agents/openai/service.ts#L473-L480";
const LIBRECHAT_RESPONSES: &str = "https://github.com/danny-avila/LibreChat/blob/9e74cc0e57b395926122bd4062c1fcedc48ed465/packages/api/src/agents/responses/service.ts#L308-L314";
const LIBRECHAT_ASSISTANTS: &str = "https://github.com/danny-avila/LibreChat/blob/9e74cc0e57b395926122bd4062c1fcedc48ed465/api/server/middleware/setHeaders.js#L1-L10";
const LIBRECHAT_ASSETS: &str = "https://github.com/danny-avila/LibreChat/blob/9e74cc0e57b395926122bd4062c1fcedc48ed465/client/vite.config.ts#L376-L383";
const LIBRECHAT_FILES: &str = "https://github.com/danny-avila/LibreChat/blob/9e74cc0e57b395926122bd4062c1fcedc48ed465/packages/data-provider/src/file-config.ts#L402";
// LobeHub's repository is larger than a snapshot can be read whole: its npm package of the
// same sources, version 2.1.26 (`src/app/(backend)/webapi/chat/[provider]/route.ts`,
// `packages/model-runtime/src/utils/response.ts`, `src/app/(backend)/api/agent/stream/route.ts`).
const LOBEHUB_CHAT: &str = "https://www.npmjs.com/package/@lobehub/lobehub/v/2.1.26";
const LOBEHUB_AGENT: &str = "https://www.npmjs.com/package/@lobehub/lobehub/v/2.1.26";
const RAGFLOW_CHAT: &str = "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/api/apps/restful_apis/chat_api.py#L1390-L1396";
const RAGFLOW_OPENAI: &str = "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/api/apps/restful_apis/openai_api.py#L88-L93";
const RAGFLOW_AGENT: &str = "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/api/apps/restful_apis/agent_api.py#L147-L152";
const RAGFLOW_SEARCH: &str = "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/api/apps/restful_apis/search_api.py#L250-L254";
const RAGFLOW_WEB: &str = "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/web/vite.config.ts#L280-L282";
const RAGFLOW_PROXY: &str = "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/docker/nginx/proxy.conf#L4-L8";
const RAGFLOW_UPLOADS: &str = "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/api/apps/__init__.py#L81";

const STACKSTORM_STREAM: &str =
    "https://github.com/StackStorm/st2/blob/master/st2common/st2common/config.py";

const LETTA_STREAM: &str = "https://github.com/letta-ai/letta/blob/56ba9c25552605eec89de8ed3dc6394b625c1993/letta/server/rest_api/routers/v1/agents.py#L1830";
const CRAWL4AI_STREAM: &str = "https://github.com/unclecode/crawl4ai/blob/7e801521428ee12509994d39151006f64055ebe3/deploy/docker/server.py#L915";
const CRAWL4AI_MONITOR: &str = "https://github.com/unclecode/crawl4ai/blob/7e801521428ee12509994d39151006f64055ebe3/deploy/docker/monitor_routes.py#L354";

/// Apps whose server frames a long response with chunked encoding even when nginx asks over
/// HTTP/1.0 (uvicorn's httptools protocol, chosen where `uvicorn[standard]` is installed,
/// chunks whenever no `Content-Length` is set, whatever the request's version): nginx then
/// parses the chunks and passes each on through buffering, so the default
/// `proxy_http_version 1.0` does not hold their streams (held-out batch 147, measured with
/// uvicorn 0.55 and httptools: every event on time through `proxy_http_version 1.0`; with
/// `--http h11`, all at the end). (app id, public page saying so)
pub const CHUNKS_TO_HTTP10: &[(&str, &str)] = &[
    (
        "open-webui",
        // `uvicorn[standard]==0.30.6`; `backend/start.sh` runs uvicorn with its default `--http
        // auto`, httptools where installed.
        "https://github.com/open-webui/open-webui/blob/main/backend/requirements.txt",
    ),
    (
        "vllm",
        // `fastapi[standard]`, whose extra requires `uvicorn[standard]` and so httptools;
        // `entrypoints/launcher.py` builds `uvicorn.Config` without `http=`, so `auto` picks
        // httptools (held-out batch 157, measured with uvicorn 0.55 and httptools: every event
        // on time through `proxy_http_version 1.0`).
        "https://github.com/vllm-project/vllm/blob/main/requirements/common.txt",
    ),
];

/// Is `app` one of [`CHUNKS_TO_HTTP10`]?
pub fn chunks_to_http10(app: &App) -> bool {
    CHUNKS_TO_HTTP10.iter().any(|(a, _)| *a == app.id)
}

/// Are there endpoints, each of an app whose id `listed` accepts (the endpoints a location
/// routes, asked whether they are all some apps')?
pub fn all_of_apps(endpoints: &[&'static Endpoint], listed: impl Fn(&str) -> bool) -> bool {
    !endpoints.is_empty()
        && endpoints.iter().all(|e| {
            APPS.iter()
                .filter(|a| listed(a.id))
                .any(|a| a.endpoints.iter().any(|own| std::ptr::eq(own, *e)))
        })
}

/// Apps for which `X-Forwarded-Proto` changes nothing: they build their absolute URLs (links,
/// redirects, federation ids) from the public URL in their own configuration, or never read
/// the header. (app id, public page saying so)
pub const SCHEME_NOT_FROM_REQUEST: &[(&str, &str)] = &[
    (
        "peertube",
        // `webserver: https/hostname/port`: "Correspond to your reverse proxy server_name/listen
        // configuration (i.e., your public PeerTube instance URL)".
        "https://github.com/Chocobozzz/PeerTube/blob/develop/config/production.yaml.example",
    ),
    (
        "streamlit",
        // Its Tornado `HTTPServer` is made without `xheaders=True`, so forwarded headers are
        // never read; the page loads its WebSocket and files by relative URLs.
        "https://github.com/streamlit/streamlit/blob/develop/lib/streamlit/web/server/server.py",
    ),
];

/// Apps whose WebSocket server fails a handshake nginx forwards over HTTP/1.0 (its upstream
/// default before 1.29.7). Measured with nginx 1.22.1: Tornado answers 101 and then closes the
/// connection (an HTTP/1.0 request without `Connection: keep-alive` is closed when its
/// response finishes, `http1connection.py` `_can_keep_alive`, and the handshake's response
/// finishes before the stream is detached), so no message ever passes; Python's `websockets`
/// server answers 505. uvicorn, aiohttp, Node's `ws` and Socket.IO, gorilla/websocket,
/// Flask-Sock (gunicorn, Werkzeug), Daphne and Odoo's server all complete it and relay
/// messages. (app id, source of the app's WebSocket server)
pub const UPGRADE_NEEDS_HTTP11: &[(&str, &str)] = &[
    (
        "jupyter",
        // Kernel channels: a Tornado `WebSocketHandler`.
        "https://github.com/jupyter-server/jupyter_server/blob/main/jupyter_server/services/kernels/websocket.py",
    ),
    (
        "streamlit",
        // `/_stcore/stream`: a Tornado `WebSocketHandler` (`browser_websocket_handler.py`).
        "https://github.com/streamlit/streamlit/blob/develop/lib/streamlit/web/server/browser_websocket_handler.py",
    ),
    (
        "flower",
        // Task-event sockets: Tornado `WebSocketHandler`s (`flower/api/events.py`).
        "https://github.com/mher/flower/blob/master/flower/api/events.py",
    ),
];

/// Does the app's WebSocket server fail an HTTP/1.0 handshake ([`UPGRADE_NEEDS_HTTP11`])?
pub fn upgrade_needs_http11(app: &App) -> bool {
    UPGRADE_NEEDS_HTTP11.iter().any(|(id, _)| *id == app.id)
}

/// Does the app ignore the request's forwarded scheme ([`SCHEME_NOT_FROM_REQUEST`])?
pub fn scheme_not_from_request(app: &App) -> bool {
    SCHEME_NOT_FROM_REQUEST.iter().any(|(id, _)| *id == app.id)
}

/// An app's file-upload endpoint where bodies over 1 MB are the app's ordinary use and its
/// clients send a file in one request (or in chunks over 1 MB): behind nginx's default
/// `client_max_body_size 1m` they are answered 413 (`upload-body-limit`). Apps whose uploads
/// are occasional (Jellyfin's posters, Home Assistant's backups), whose upload endpoint the
/// user defines (n8n's webhooks) or whose use depends on the app built with it (Gradio) are
/// not listed.
#[derive(Debug)]
pub struct Upload {
    /// [`App::id`].
    pub app: &'static str,
    /// A request path of the endpoint, as a concrete example (ids written as `x`).
    pub path: &'static str,
    /// What is uploaded there (`documents`), for the message.
    pub what: &'static str,
    /// The app's source for the path.
    pub source: &'static str,
    /// The `client_max_body_size` the app's own reverse-proxy guide sets, and the guide.
    pub advised: Option<(&'static str, &'static str)>,
}

const fn upload(
    app: &'static str,
    path: &'static str,
    what: &'static str,
    source: &'static str,
    advised: Option<(&'static str, &'static str)>,
) -> Upload {
    Upload {
        app,
        path,
        what,
        source,
        advised,
    }
}

const OWUI_FILES: &str = "https://github.com/open-webui/open-webui/blob/96491584ac62c39fe0951ea95b3cbaef59d5e215/backend/open_webui/routers/files.py";
const OWUI_NGINX: &str = "https://github.com/open-webui/docs/blob/1eea3847ca6c2b0f2ca79a300925592c0da7c8d0/docs/reference/https/nginx.md#L129";
const COMFY_SERVER: &str = "https://github.com/Comfy-Org/ComfyUI/blob/a125cd84b054a57729b5eecab930ca9408719832/server.py#L364";
const MATTERMOST_NGINX: &str = "https://github.com/mattermost/docs/blob/9dd1c713ed5ec6482ae9845228f23147936457af/source/deployment-guide/server/setup-nginx-proxy.rst#L178";
const VAULTWARDEN_PROXY: &str = "https://github.com/dani-garcia/vaultwarden/wiki/Proxy-examples";
const MAINSAIL_NGINX: &str = "https://github.com/mainsail-crew/docs/blob/c5aa7a6bc95fb6fcd2497066dc81192036edf0f3/docs/setup/manual.md#L494";
const ROCKET_NGINX: &str = "https://github.com/RocketChat/docs/blob/22db3da53e494fd5b89e0278047256f8de6f6f3c/setup-and-configure/environment-configuration/configuring-ssl-reverse-proxy.md#L39";
const ZULIP_NGINX: &str = "https://github.com/zulip/zulip/blob/4aab119d14e514e26a2158da5cc391a9c6920ddf/puppet/zulip/templates/nginx.conf.template.erb#L22";
const LEMMY_NGINX: &str = "https://github.com/LemmyNet/lemmy-ansible/blob/03f27fd587b83f019e6335c11df725d67174380e/templates/nginx.conf#L39";

pub const UPLOADS: &[Upload] = &[
    // Directus's file library: `POST /files`, unlimited unless `FILES_MAX_UPLOAD_SIZE` is set.
    upload(
        "directus",
        "/files",
        "files for its library (images, documents, videos)",
        "https://directus.io/docs/api/files",
        None,
    ),
    // LibreChat's file uploads (documents for its agents, images, speech), 512 MB by default;
    // its own `client/nginx.conf` sets 25M.
    upload(
        "librechat",
        "/api/files",
        "files for the chat (documents, images, audio)",
        LIBRECHAT_FILES,
        Some((
            "25M",
            "https://github.com/danny-avila/LibreChat/blob/9e74cc0e57b395926122bd4062c1fcedc48ed465/client/nginx.conf#L28-L30",
        )),
    ),
    // RAGFlow's knowledge-base documents, up to 1 GiB a request; its own nginx sets 1024M.
    upload(
        "ragflow",
        "/api/v1/datasets/x/documents",
        "documents for the knowledge base",
        RAGFLOW_UPLOADS,
        Some((
            "1024M",
            "https://github.com/infiniflow/ragflow/blob/b1b8cd623520b97b2526ffb1514bd812bdcc7eaf/docker/nginx/nginx.conf#L29",
        )),
    ),
    // Any homeserver's media repository (held-out batch 363: a 2 MB upload got 413 on the
    // client-facing server, measured; Synapse's `max_upload_size` is 50M by default).
    upload(
        "matrix",
        "/_matrix/media/v3/upload",
        "media: images, files and voice messages",
        "https://spec.matrix.org/latest/client-server-api/#post_matrixmediav3upload",
        Some((
            "50M",
            "https://github.com/element-hq/synapse/blob/develop/docs/reverse_proxy.md",
        )),
    ),
    // The media library's uploads: `/api/upload` since Strapi 4, `/upload` before (held-out
    // batch 380: a 2 MB `POST /upload` got 413 through a starter's nginx).
    upload(
        "strapi",
        "/api/upload",
        "media library files (images, videos, documents)",
        "https://docs.strapi.io/cms/api/rest/upload",
        None,
    ),
    upload(
        "strapi",
        "/upload",
        "media library files (images, videos, documents)",
        "https://docs.strapi.io/cms/api/rest/upload",
        None,
    ),
    // Langflow's file uploads for its flows (held-out batch 379: a 2 MB POST to
    // `/api/v1/files` got 413; Langflow accepts up to `LANGFLOW_MAX_FILE_SIZE_UPLOAD`, 100 MB by
    // default).
    upload(
        "langflow",
        "/api/v1/files/upload/x",
        "files for its flows (documents, images)",
        "https://docs.langflow.org/api-files",
        None,
    ),
    // A notebook is saved with one `PUT` of its whole JSON, outputs and images included
    // (held-out batch 381: a 2 MB PUT to the contents API got 413).
    upload(
        "jupyter",
        "/api/contents/x.ipynb",
        "notebooks saved (one `PUT` of the whole notebook, outputs included) and files uploaded",
        "https://jupyter-server.readthedocs.io/en/latest/developers/rest-api.html",
        None,
    ),
    // A `git push` over HTTPS is one request body of the pack (held-out batch 372: a 2 MB
    // push to Gogs through its README's server got 413, measured).
    upload(
        "gitea",
        "/owner/repo.git/git-receive-pack",
        "`git push` over HTTPS (the pack in one request body), LFS objects and attachments",
        "https://git-scm.com/docs/http-protocol#_smart_service_git_receive_pack",
        Some((
            "512M",
            "https://docs.gitea.com/administration/reverse-proxies#resolving-error-413-request-entity-too-large",
        )),
    ),
    upload(
        "gitlab",
        "/group/project.git/git-receive-pack",
        "`git push` over HTTPS (the pack in one request body), LFS objects and attachments",
        "https://git-scm.com/docs/http-protocol#_smart_service_git_receive_pack",
        Some((
            "250m",
            "https://gitlab.com/gitlab-org/omnibus-gitlab/-/blob/master/files/gitlab-config-template/gitlab.rb.template",
        )),
    ),
    upload(
        "open-webui",
        "/api/v1/files/",
        "documents, images and audio for its chats and knowledge bases",
        OWUI_FILES,
        Some(("100M", OWUI_NGINX)),
    ),
    // The browser asks `/api/upload/image`; older front ends, `/upload/image`.
    upload(
        "comfyui",
        "/api/upload/image",
        "input images and videos",
        COMFY_SERVER,
        None,
    ),
    upload(
        "comfyui",
        "/upload/image",
        "input images and videos",
        COMFY_SERVER,
        None,
    ),
    // Init, control and reference images, PNGs with their embedded workflow (held-out batch
    // 256: a 2 MB image got 413 through InvokeAI's own documented nginx example).
    upload(
        "invokeai",
        "/api/v1/images/upload",
        "images (init, control and reference images, PNGs with their workflow)",
        "https://github.com/invoke-ai/InvokeAI/blob/faa16b960230480caec207586d8f9bfe803abb25/invokeai/app/api/routers/images.py#L25",
        None,
    ),
    upload(
        "anything-llm",
        "/api/workspace/x/upload",
        "documents for its workspaces",
        "https://github.com/Mintplex-Labs/anything-llm/blob/72aabbd15481ae405434efd4c83d46026eef1173/server/endpoints/workspaces.js#L110",
        None,
    ),
    upload(
        "immich",
        "/api/assets",
        "photos and videos",
        "https://github.com/immich-app/immich/blob/01cc6522119c7d07f9149d23154378e09572a52f/server/src/controllers/asset-media.controller.ts#L64",
        Some((
            "50000M",
            "https://github.com/immich-app/immich/blob/003cbadb639d10bcdb2a43eae580d7e9bd7839ab/docs/docs/administration/reverse-proxy.md#L18",
        )),
    ),
    upload(
        "mattermost",
        "/api/v4/files",
        "file attachments",
        "https://github.com/mattermost/mattermost/blob/8d9eda11df8a4a6b76dabcaa77d542c05dd0448e/server/channels/api4/file.go#L35",
        Some(("100M", MATTERMOST_NGINX)),
    ),
    upload(
        "vaultwarden",
        "/api/ciphers/x/attachment/x",
        "attachments",
        "https://github.com/dani-garcia/vaultwarden/blob/46d71107f5094460dd5ecbe1dbac6e6c71e5189a/src/api/core/ciphers.rs#L1356",
        Some(("525M", VAULTWARDEN_PROXY)),
    ),
    upload(
        "vaultwarden",
        "/api/sends/x/file/x",
        "files sent with Send",
        "https://github.com/dani-garcia/vaultwarden/blob/46d71107f5094460dd5ecbe1dbac6e6c71e5189a/src/api/core/sends.rs#L381",
        Some(("525M", VAULTWARDEN_PROXY)),
    ),
    upload(
        "moonraker",
        "/server/files/upload",
        "G-code files",
        "https://github.com/Arksine/moonraker/blob/d5ee17128bb88434aacdab90c2e9e990e2b64e4a/moonraker/components/application.py#L250",
        Some(("0", MAINSAIL_NGINX)),
    ),
    // What slicers upload to (OctoPrint's API, which Moonraker also answers).
    upload(
        "moonraker",
        "/api/files/local",
        "G-code files from slicers",
        "https://github.com/Arksine/moonraker/blob/d5ee17128bb88434aacdab90c2e9e990e2b64e4a/moonraker/components/octoprint_compat.py#L121",
        Some(("0", MAINSAIL_NGINX)),
    ),
    upload(
        "octoprint",
        "/api/files/local",
        "G-code files",
        "https://github.com/OctoPrint/OctoPrint/blob/744c835969d6a0adc512a668a5d5abec0415dda0/src/octoprint/server/api/files.py#L718",
        None,
    ),
    // Resumable uploads in chunks sized to the network (the whole file on iOS).
    upload(
        "peertube",
        "/api/v1/videos/upload-resumable",
        "videos",
        "https://github.com/Chocobozzz/PeerTube/blob/f83674c1439ad8c8dfbeee0ab883846660d77392/config/default.yaml",
        Some((
            "0",
            "https://github.com/Chocobozzz/PeerTube/blob/d7562e0b5d7d24e66859d7406cefae7d879ceecc/support/nginx/peertube",
        )),
    ),
    // tus-js-client sends the whole file in one `PATCH` unless told otherwise.
    upload(
        "tusd",
        "/files/",
        "whole files in one request each (by default)",
        "https://github.com/tus/tus-js-client/blob/89ef3cad93cf92c89452ae08b7c29c20677faf3c/lib/upload.ts#L43",
        Some((
            "0",
            "https://github.com/tus/tusd/blob/ad7fb31344e0629cb8a5af67bb1e630f90507890/examples/nginx.conf#L61",
        )),
    ),
    // In 10 MB pieces (`DefaultTusChunkSize`), each over the default.
    upload(
        "filebrowser",
        "/api/tus/x",
        "files in 10 MB pieces",
        "https://github.com/filebrowser/filebrowser/blob/833d908884d5c801f30f5c098d7977177eb3a36b/settings/tus.go#L3",
        None,
    ),
    upload(
        "rocket-chat",
        "/api/v1/rooms.media/x",
        "file attachments",
        "https://github.com/RocketChat/Rocket.Chat/blob/6f18e0d59274bcf2bc5f3ff3fd851eab9c922c99/apps/meteor/app/api/server/v1/rooms.ts",
        Some(("200M", ROCKET_NGINX)),
    ),
    upload(
        "rocket-chat",
        "/api/v1/rooms.upload/x",
        "file attachments",
        "https://github.com/RocketChat/Rocket.Chat/blob/6f18e0d59274bcf2bc5f3ff3fd851eab9c922c99/apps/meteor/app/api/server/v1/rooms.ts",
        Some(("200M", ROCKET_NGINX)),
    ),
    upload(
        "zulip",
        "/api/v1/tus/",
        "file attachments",
        "https://github.com/zulip/zulip/blob/26fc7d440ecb74a5d38adbd72c6a04357de20675/web/src/upload.ts",
        Some(("80m", ZULIP_NGINX)),
    ),
    upload(
        "zulip",
        "/json/user_uploads",
        "file attachments",
        "https://github.com/zulip/zulip/blob/71b5e33c374c543ca37262f6a6adeb84bc77eafc/zproject/urls.py",
        Some(("80m", ZULIP_NGINX)),
    ),
    upload(
        "khoj",
        "/api/content",
        "documents to index",
        "https://github.com/khoj-ai/khoj/blob/ae229ca894c0b80ad84664afcfdde523b5e87057/src/khoj/routers/api_content.py#L97",
        None,
    ),
    upload(
        "qanything",
        "/api/local_doc_qa/upload_files",
        "documents for its knowledge bases",
        "https://github.com/netease-youdao/QAnything/blob/974f9337f9b9c56c12005b86fe9409dc86c9b520/qanything_kernel/qanything_server/sanic_api.py#L77",
        None,
    ),
    upload(
        "appflowy-cloud",
        "/api/file_storage/x/v1/blob/x",
        "files in its documents",
        "https://github.com/AppFlowy-IO/AppFlowy-Cloud/blob/4fb9c9290bfac085d6b83bb7b43ca9b858c7166e/src/api/file_storage.rs#L85",
        Some((
            "10M",
            "https://github.com/AppFlowy-IO/AppFlowy-Cloud/blob/4fb9c9290bfac085d6b83bb7b43ca9b858c7166e/nginx/nginx.conf#L40",
        )),
    ),
    // Lemmy 0.19 hands images to pict-rs at `/pictrs/image`; its API v4, at `/api/v4/image`.
    upload(
        "lemmy",
        "/pictrs/image",
        "images for posts",
        "https://github.com/LemmyNet/lemmy/blob/e9d49b7b49f4751b924263fdebfc1af2a387eda9/crates/routes/src/images.rs#L36",
        Some(("20M", LEMMY_NGINX)),
    ),
    upload(
        "lemmy",
        "/api/v4/image",
        "images for posts",
        "https://github.com/LemmyNet/lemmy/blob/439734dd638a2c06a2f907beab7dcf4646e88f86/crates/api/routes/src/lib.rs#L479",
        Some(("20M", LEMMY_NGINX)),
    ),
    // The web app posts each document whole (scans are routinely over 1 MB).
    upload(
        "paperless-ngx",
        "/api/documents/post_document/",
        "scanned documents",
        PAPERLESS_URLS,
        None,
    ),
    // Odoo's attachments (the chatter's files, documents, imported spreadsheets): its web
    // client takes up to 128 MB (`web.max_file_upload_size`). Held-out batch 448: two Odoo
    // sites with nginx's 1 MB default, a 2 MB attachment got 413.
    upload(
        "odoo",
        "/web/binary/upload_attachment",
        "attachments (documents, images, imported spreadsheets)",
        "https://github.com/odoo/odoo/blob/17.0/addons/web/controllers/binary.py",
        None,
    ),
    upload(
        "sillytavern",
        "/api/characters/import",
        "character cards",
        "https://github.com/SillyTavern/SillyTavern/blob/ba6f7b7a98cf7a5eaf4f0e81da9779a9a668ced4/src/endpoints/characters.js#L1108",
        None,
    ),
    upload(
        "sillytavern",
        "/api/files/upload",
        "attachments",
        "https://github.com/SillyTavern/SillyTavern/blob/ba6f7b7a98cf7a5eaf4f0e81da9779a9a668ced4/src/endpoints/files.js#L26",
        None,
    ),
];

/// The upload endpoints of `app` ([`UPLOADS`]).
pub fn uploads(app: &App) -> impl Iterator<Item = &'static Upload> + '_ {
    UPLOADS.iter().filter(move |u| u.app == app.id)
}

/// The app whose default port this is, when exactly one app claims it.
pub fn by_port(port: u16) -> Option<&'static App> {
    // Sorted by port once: every proxied location asks for each of its targets.
    static INDEX: std::sync::OnceLock<Vec<(u16, Option<&'static App>)>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut ports: Vec<u16> = APPS.iter().flat_map(|a| a.ports.iter().copied()).collect();
        ports.sort_unstable();
        ports.dedup();
        ports.into_iter().map(|p| (p, by_port_scan(p))).collect()
    });
    let i = index.binary_search_by_key(&port, |&(p, _)| p).ok()?;
    index[i].1
}

/// Does another app than `app` listen on `port` by default (its own or a shared port: Hue's
/// 8888 beside Jupyter Server's)? Then a name beside the port may say which of them it is.
pub fn port_shared_with_another(app: &App, port: u16) -> bool {
    // The ports two or more apps list, found once: most ports are one app's.
    static SHARED: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    let shared = SHARED.get_or_init(|| {
        let mut all: Vec<u16> = APPS
            .iter()
            .flat_map(|a| a.ports.iter().chain(a.shared_ports).copied())
            .collect();
        all.sort_unstable();
        let mut out: Vec<u16> = all
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        out.dedup();
        out
    });
    shared.binary_search(&port).is_ok()
        && APPS
            .iter()
            .any(|a| !std::ptr::eq(a, app) && a.listens_on(port))
}

/// [`by_port`] by a scan of the table (what the index holds).
fn by_port_scan(port: u16) -> Option<&'static App> {
    let mut it = APPS.iter().filter(|a| a.ports.contains(&port));
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

/// The app of the table whose endpoint `e` is (the same entry, not an equal one).
pub fn owning(e: &Endpoint) -> Option<&'static App> {
    APPS.iter()
        .find(|a| a.endpoints.iter().any(|x| std::ptr::eq(x, e)))
}

/// The app an upstream host or name fragment names (`ollama`, `open-webui:8080`).
pub fn by_name(host: &str) -> Option<&'static App> {
    let h = host.to_ascii_lowercase();
    // The bytes the host holds: a name whose first byte is not among them cannot occur.
    let mut present = [false; 256];
    for b in h.bytes() {
        present[usize::from(b)] = true;
    }
    // Longest fragment wins (`mastodon-streaming` over a shorter one); of equal lengths, the
    // last in table order (as `max_by_key` over the table picks). Only the names whose first
    // byte the host holds are tried.
    let index = names_by_first_byte();
    let mut best: Option<(usize, usize, &'static App)> = None;
    for b in h.bytes() {
        // Each distinct byte once.
        if !std::mem::take(&mut present[usize::from(b)]) {
            continue;
        }
        for &(order, app, n) in &index[usize::from(b)] {
            if best.is_none_or(|(len, at, _)| (n.len(), order) > (len, at)) && contains_word(&h, n)
            {
                best = Some((n.len(), order, app));
            }
        }
    }
    // An empty name occurs in every host (none is in the table; kept as the scan had it).
    for &(order, app, n) in &index[256] {
        if best.is_none_or(|(len, at, _)| (n.len(), order) > (len, at)) {
            best = Some((n.len(), order, app));
        }
    }
    best.map(|(_, _, app)| app)
}

/// Each app name (with its place in table order and its app) under its first byte; the
/// empty names, if any, in slot 256. Built once.
type NameIndex = Vec<Vec<(usize, &'static App, &'static str)>>;

/// The first app (in table order) one of whose names is `word` exactly (lowercase).
pub fn by_exact_name(word: &str) -> Option<&'static App> {
    let first = usize::from(*word.as_bytes().first()?);
    names_by_first_byte()[first]
        .iter()
        .find(|&&(_, _, n)| n == word)
        .map(|&(_, app, _)| app)
}

fn names_by_first_byte() -> &'static NameIndex {
    static INDEX: std::sync::OnceLock<NameIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: NameIndex = vec![Vec::new(); 257];
        let all = APPS
            .iter()
            .flat_map(|a| a.names.iter().map(move |n| (a, *n)));
        for (order, (app, n)) in all.enumerate() {
            let slot = n.bytes().next().map_or(256, usize::from);
            index[slot].push((order, app, n));
        }
        index
    })
}

/// `n` occurs in `h` not glued to other letters (`tgi` in `tgi-server`, not in `settings`).
///
/// Host names are short and the table's names many: a plain byte scan (first byte, then the
/// rest) costs a fraction of `str::find`'s searcher set-up, which dominated classifying
/// thousands of locations.
fn contains_word(h: &str, n: &str) -> bool {
    let (hb, nb) = (h.as_bytes(), n.as_bytes());
    let Some(&first) = nb.first() else {
        return true;
    };
    let mut from = 0;
    while let Some(i) = hb.get(from..).and_then(|rest| {
        rest.windows(nb.len())
            .position(|w| w[0] == first && w == nb)
    }) {
        let s = from + i;
        let e = s + nb.len();
        // ASCII letters are single bytes: a byte before or after that is a letter is a whole
        // character (a UTF-8 continuation byte never is one).
        let glued = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphabetic);
        if !glued(s.checked_sub(1).and_then(|p| hb.get(p))) && !glued(hb.get(e)) {
            return true;
        }
        from = e;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The port index answers what a scan of the table answers, for every port.
    #[test]
    fn by_port_index_agrees_with_a_full_scan() {
        for port in 0..=u16::MAX {
            assert_eq!(
                by_port(port).map(|a| a.id),
                by_port_scan(port).map(|a| a.id),
                "port {port}"
            );
        }
        // The index is not empty: some default ports do name their app.
        assert!(
            APPS.iter()
                .any(|a| a.ports.first().is_some_and(|&p| by_port(p).is_some()))
        );
    }

    /// The first-byte index picks what a scan of the whole table picks (longest name, the
    /// last of equal lengths), for every name of the table alone, glued, and in host shapes.
    #[test]
    fn by_name_index_agrees_with_a_full_scan() {
        let scan = |host: &str| {
            let h = host.to_ascii_lowercase();
            APPS.iter()
                .flat_map(|a| a.names.iter().map(move |n| (a, *n)))
                .filter(|(_, n)| contains_word(&h, n))
                .max_by_key(|(_, n)| n.len())
                .map(|(a, _)| a.id)
        };
        let mut hosts = vec![
            "127.0.0.1".to_owned(),
            "app0".to_owned(),
            "".to_owned(),
            "settings".to_owned(),
        ];
        for a in APPS {
            for n in a.names {
                hosts.push((*n).to_owned());
                hosts.push(n.to_ascii_uppercase());
                hosts.push(format!("{n}-server:8080"));
                hosts.push(format!("x{n}"));
                for b in APPS.iter().flat_map(|b| b.names.iter()).take(12) {
                    hosts.push(format!("{n}-{b}"));
                }
            }
        }
        for h in &hosts {
            assert_eq!(by_name(h).map(|a| a.id), scan(h), "{h}");
        }
    }

    #[test]
    fn the_table_holds_its_invariants() {
        assert!(APPS.len() >= 30, "only {} apps", APPS.len());
        let mut ids: Vec<&str> = APPS.iter().map(|a| a.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate app ids");
        for a in APPS {
            assert!(
                a.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}: id not kebab-case",
                a.id
            );
            assert!(a.source.starts_with("https://"), "{}: no source", a.id);
            // An app is known for its endpoints, or for its uploads alone.
            assert!(
                !a.endpoints.is_empty() || uploads(a).next().is_some(),
                "{}: no endpoints",
                a.id
            );
            assert!(
                !a.names.is_empty() || !a.ports.is_empty(),
                "{}: cannot be recognised",
                a.id
            );
            for n in a.names {
                assert_eq!(
                    *n,
                    n.to_ascii_lowercase(),
                    "{}: name {n} not lowercase",
                    a.id
                );
            }
            // One path may serve two transports (Mastodon's streaming API: events and a
            // WebSocket), never one transport twice.
            let mut paths: Vec<(&str, &str)> = a
                .endpoints
                .iter()
                .map(|e| (e.path, e.transport.as_str()))
                .collect();
            paths.sort_unstable();
            let m = paths.len();
            paths.dedup();
            assert_eq!(paths.len(), m, "{}: duplicate endpoint", a.id);
            for e in a.endpoints {
                assert!(e.path.starts_with('/'), "{}: {} not a path", a.id, e.path);
                assert!(
                    e.source.starts_with("https://"),
                    "{}: {} no source",
                    a.id,
                    e.path
                );
                if let Some(h) = e.heartbeat_secs {
                    assert!(
                        e.transport.long_lived() && (1..=300).contains(&h),
                        "{}: {} heartbeat {h} on a {:?} endpoint",
                        a.id,
                        e.path,
                        e.transport
                    );
                }
                if e.transport == Static {
                    assert_eq!(e.first_byte, Immediate, "{}: slow static {}", a.id, e.path);
                }
            }
        }
    }

    /// A port two apps claim names neither: the documented conflicts, kept on purpose so a
    /// new entry that collides is noticed here.
    #[test]
    fn scheme_not_from_request_names_known_apps_with_a_source() {
        for (id, source) in SCHEME_NOT_FROM_REQUEST {
            assert!(APPS.iter().any(|a| a.id == *id), "{id} is not in APPS");
            assert!(source.starts_with("https://"), "{id}: {source}");
        }
        assert!(scheme_not_from_request(by_name("peertube").unwrap()));
        assert!(scheme_not_from_request(by_name("streamlit").unwrap()));
        assert!(!scheme_not_from_request(by_name("gradio").unwrap()));
        for (id, source) in UPGRADE_NEEDS_HTTP11 {
            assert!(APPS.iter().any(|a| a.id == *id), "{id} is not in APPS");
            assert!(source.starts_with("https://"), "{id}: {source}");
        }
        assert!(upgrade_needs_http11(by_name("jupyter").unwrap()));
        assert!(!upgrade_needs_http11(by_name("odoo").unwrap()));
        assert!(!upgrade_needs_http11(by_name("open-webui").unwrap()));
    }

    #[test]
    fn uploads_name_known_apps_with_a_path_and_a_source() {
        for u in UPLOADS {
            assert!(
                APPS.iter().any(|a| a.id == u.app),
                "{} is not in APPS",
                u.app
            );
            assert!(u.path.starts_with('/'), "{}: {}", u.app, u.path);
            assert!(u.source.starts_with("https://"), "{}: {}", u.app, u.source);
            // A size nginx reads (`ngx_parse_offset`): what the fix writes.
            if let Some((size, guide)) = u.advised {
                assert!(
                    crate::semantics::values::parse_offset(size.as_bytes()).is_some(),
                    "{}: {size}",
                    u.app
                );
                assert!(guide.starts_with("https://"), "{}: {guide}", u.app);
            }
        }
        // `streaming::NamedApp` keeps an app's place in the table in a byte.
        assert!(APPS.len() <= 256, "{} apps", APPS.len());
        let owui = by_name("open-webui").unwrap();
        assert_eq!(uploads(owui).count(), 1);
        assert_eq!(uploads(by_name("grafana").unwrap()).count(), 0);
    }

    #[test]
    fn shared_ports_name_no_app() {
        let mut shared: Vec<u16> = APPS
            .iter()
            .flat_map(|a| a.ports.iter().copied())
            .filter(|&p| APPS.iter().filter(|a| a.ports.contains(&p)).count() > 1)
            .collect();
        shared.sort_unstable();
        shared.dedup();
        assert_eq!(shared, Vec::<u16>::new(), "ports claimed by two apps");
        for a in APPS {
            for &p in a.ports {
                assert_eq!(by_port(p).map(|x| x.id), Some(a.id));
            }
        }
        // Ports many apps use (8080, 3000, 8000, 5000, 4000, php-fpm's 9000) are listed by none.
        for p in [80, 443, 3000, 4000, 5000, 8000, 8080, 9000, 9001] {
            assert!(by_port(p).is_none(), "port {p} names an app");
        }
    }

    #[test]
    fn names_match_whole_words() {
        assert_eq!(by_name("ollama:11434").map(|a| a.id), Some("ollama"));
        assert_eq!(by_name("tgi-server").map(|a| a.id), Some("tgi"));
        assert_eq!(by_name("settings").map(|a| a.id), None);
        assert_eq!(by_name("open-webui").map(|a| a.id), Some("open-webui"));
        assert_eq!(
            by_name("mastodon-streaming").map(|a| a.id),
            Some("mastodon-streaming")
        );
    }
}
