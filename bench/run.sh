#!/usr/bin/env bash
# etr performance, side by side with the Portkey gateway and the backend itself — one command:
#
#   ./bench/run.sh                 # ~4 min on 2 cores; DURATION=10s per scenario by default
#   DURATION=5s ./bench/run.sh     # quicker, noisier
#   SKIP_JMH=1 ./bench/run.sh      # skip the encoder-alone bound (JMH build + run)
#
# It installs what it lacks (nginx-light and wrk from Debian's packages, @portkey-ai/gateway from npm into
# bench/.work/), starts on 127.0.0.1 only: nginx as a fixed-answer OpenAI backend, etr (./etr serve --config)
# with its experts on that backend, and Portkey pointed at the same backend; drives them with wrk; prints one
# table; stops everything it started (by pid). Output also lands in bench/out/latest.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
WORK="$BENCH/.work"
OUT="$BENCH/out"
DURATION="${DURATION:-10s}"
HOST=127.0.0.1
BACKEND_PORT=18090
ETR_PORT=18080
ETR50_PORT=18081
PORTKEY_PORT=18787
mkdir -p "$WORK" "$OUT"
LOG="$WORK/logs"; mkdir -p "$LOG"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # exit runs the EXIT trap, which stops everything

say() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------- tools
need_apt=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
command -v wrk >/dev/null || need_apt+=(wrk)
command -v curl >/dev/null || need_apt+=(curl)
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} (apt-get)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PORTKEY_JS="$WORK/portkey/node_modules/@portkey-ai/gateway/build/start-server.js"
if [ ! -f "$PORTKEY_JS" ]; then
  say "installing @portkey-ai/gateway (npm, into bench/.work/portkey)"
  mkdir -p "$WORK/portkey"
  (cd "$WORK/portkey" && { [ -f package.json ] || npm init -y >/dev/null; } \
     && npm install --no-audit --no-fund --silent @portkey-ai/gateway >/dev/null)
fi
PORTKEY_VERSION="$(node -p "require('$WORK/portkey/node_modules/@portkey-ai/gateway/package.json').version")"

for port in $BACKEND_PORT $ETR_PORT $ETR50_PORT $PORTKEY_PORT; do
  if (exec 3<>/dev/tcp/$HOST/$port) 2>/dev/null; then
    echo "bench: port $port on $HOST is taken; stop whatever listens there first" >&2; exit 1
  fi
done

# ---------------------------------------------------------------- fixed-answer backend (nginx)
COMPLETION='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Fixed answer."},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}'
CHUNK='{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{"role":"assistant","content":"Fixed answer."},"finish_reason":null}]}'
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
esc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_buffer_size 64k;
  server {
    listen $HOST:$BACKEND_PORT;
    location = /v1/chat/completions {
      default_type application/json;
      return 200 "$(esc "$COMPLETION")";
    }
    location = /sse/v1/chat/completions {
      default_type text/event-stream;
      return 200 "data: $(esc "$CHUNK")\n\ndata: [DONE]\n\n";
    }
  }
}
EOF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$LOG/nginx.log" 2>&1 &
PIDS+=($!)

# ---------------------------------------------------------------- etr config (5 routable experts + a streaming one)
expert() { # name baseUrlPath examples...
  local name="$1" path="$2"; shift 2
  echo "  - name: $name"
  echo "    backend: { type: openai, baseUrl: \"http://$HOST:$BACKEND_PORT$path\", model: bench }"
  echo "    examples:"
  for e in "$@"; do echo "      - \"$e\""; done
}
{
  echo "server: { host: $HOST, port: $ETR_PORT }"
  echo "router: { metaModel: { type: embedded }, threshold: 0.0 }"
  echo "generalist:"
  echo "  backend: { type: openai, baseUrl: \"http://$HOST:$BACKEND_PORT/v1\", model: bench }"
  echo "experts:"
  expert math /v1 "What is the derivative of x^3?" "How do I integrate sin(x) from 0 to pi?" "Solve 2x + 3 = 11." "What is a prime number?"
  expert code /v1 "Why does my Java HashMap lose entries?" "How do I reverse a linked list?" "What does a mutex protect?" "Why is my Python loop slow?"
  expert law /v1 "Can my landlord keep my deposit?" "Is a verbal contract binding?" "What makes a clause unenforceable?" "How do I contest a will?"
  expert medicine /v1 "Is ibuprofen safe with alcohol?" "What is a normal resting heart rate?" "How do vaccines work?" "What dosage of paracetamol is safe?"
  expert finance /v1 "How are dividends taxed?" "Should I pay off my mortgage early?" "What is an index fund?" "How do I read an invoice?"
  expert sse /sse/v1 "Stream me a haiku about the sea." "Stream a short poem." "Write a limerick, streamed."
} > "$WORK/etr-bench.yaml"
{
  echo "server: { host: $HOST, port: $ETR50_PORT }"
  echo "router: { metaModel: { type: embedded }, threshold: 0.0 }"
  echo "generalist:"
  echo "  backend: { type: openai, baseUrl: \"http://$HOST:$BACKEND_PORT/v1\", model: bench }"
  echo "experts:"
  for i in $(seq 1 50); do
    expert "expert-$i" /v1 "Question $i about topic $i: what is it?" "Explain subject number $i simply." \
      "A hard problem in field $i." "Give me an example of area $i in practice."
  done
} > "$WORK/etr-50.yaml"

wait_http() { # url seconds
  local url="$1" limit="$2" i=0
  until curl -fs -o /dev/null "$url"; do
    i=$((i + 1)); [ "$i" -gt $((limit * 5)) ] && { echo "bench: $url not up after ${limit}s" >&2; return 1; }
    sleep 0.2
  done
}

# ---------------------------------------------------------------- encoder-alone bound (JMH)
ENCODER_BOUND=""
if [ -z "${SKIP_JMH:-}" ]; then
  say "building the JMH benchmarks (bench/jmh) and measuring the encoder alone"
  (cd "$ROOT" && ./mvnw -q -B -f bench/pom.xml -pl jmh -am package -Dmaven.test.skip=true >"$LOG/jmh-build.log" 2>&1) \
    || { cat "$LOG/jmh-build.log" >&2; exit 1; }
  threads="$(nproc)"
  java -jar "$BENCH/jmh/target/benchmarks.jar" 'EncoderBench.production' -t "$threads" -wi 1 -w 3 -i 3 -r 3 \
    -rf json -rff "$WORK/encoder-bound.json" >"$LOG/encoder-bound.log" 2>&1
  ENCODER_BOUND="$(grep -o '"score" : [0-9.]*' "$WORK/encoder-bound.json" | head -1 | grep -o '[0-9.]*$')"
  ENCODER_BOUND="$(printf '%.0f' "$ENCODER_BOUND")"
  say "encoder alone: $ENCODER_BOUND texts/s ($threads threads, one text per call)"
fi

# ---------------------------------------------------------------- etr and Portkey
say "starting etr (./etr serve --config bench/.work/etr-bench.yaml) — builds on first use"
"$ROOT/etr" serve --config "$WORK/etr-bench.yaml" --cache-dir "$WORK/cache" >"$LOG/etr.log" 2>&1 &
ETR_PID=$!; PIDS+=($ETR_PID)
TRUSTED_CUSTOM_HOSTS="$HOST,localhost" node "$PORTKEY_JS" --port=$PORTKEY_PORT --headless >"$LOG/portkey.log" 2>&1 &
PIDS+=($!)
wait_http "http://$HOST:$BACKEND_PORT/v1/chat/completions" 20 || true
wait_http "http://$HOST:$ETR_PORT/health/ready" 600
# Portkey answers / (or 404) once it listens
until curl -s -o /dev/null "http://$HOST:$PORTKEY_PORT/"; do sleep 0.2; done

BODY_FAST='{"model":"fast","messages":[{"role":"user","content":"What is the derivative of x^3?"}]}'
BODY_ETR='{"model":"math","messages":[{"role":"user","content":"What is the derivative of x^3?"}]}'
BODY_PK='{"model":"bench","messages":[{"role":"user","content":"What is the derivative of x^3?"}]}'
BODY_SSE='{"model":"sse","stream":true,"messages":[{"role":"user","content":"Stream me a haiku."}]}'
BODY_SSE_DIRECT='{"model":"bench","stream":true,"messages":[{"role":"user","content":"Stream me a haiku."}]}'
PK_HEADERS="x-portkey-provider:openai;x-portkey-custom-host:http://$HOST:$BACKEND_PORT/v1;Authorization:Bearer sk-bench"

# smoke: every target answers 200 before we load it
for check in "http://$HOST:$BACKEND_PORT/v1/chat/completions|$BODY_PK|" \
             "http://$HOST:$ETR_PORT/v1/chat/completions|$BODY_ETR|" \
             "http://$HOST:$PORTKEY_PORT/v1/chat/completions|$BODY_PK|pk"; do
  IFS='|' read -r url body pk <<<"$check"
  args=(-s -o "$LOG/smoke.out" -w '%{http_code}' -H 'Content-Type: application/json' -d "$body")
  [ -n "$pk" ] && args+=(-H "x-portkey-provider: openai" -H "x-portkey-custom-host: http://$HOST:$BACKEND_PORT/v1" -H "Authorization: Bearer sk-bench")
  code="$(curl "${args[@]}" "$url")"
  [ "$code" = 200 ] || { echo "bench: $url answered $code: $(cat "$LOG/smoke.out")" >&2; exit 1; }
done

# warm etr's JIT first (a fresh JVM), so the first measured scenario is not its warm-up
cat "$BENCH/lua/post.lua" "$BENCH/lua/report.lua" >"$WORK/warm.lua"
BODY="$BODY_ETR" wrk -t2 -c16 -d5s -s "$WORK/warm.lua" "http://$HOST:$ETR_PORT/v1/chat/completions" >/dev/null 2>&1 || true

RESULTS="$WORK/results.txt"; : >"$RESULTS"
# run NAME CONNECTIONS URL LUA [BODY] [HEADERS]
run() {
  local name="$1" c="$2" url="$3" lua="$4" body="${5:-}" headers="${6:-}" threads=1
  [ "$c" -gt 1 ] && threads=2
  cat "$BENCH/lua/$lua" "$BENCH/lua/report.lua" >"$WORK/$name.lua"
  # a short warm-up, then the measured run
  BODY="$body" HEADERS="$headers" wrk -t"$threads" -c"$c" -d2s -s "$WORK/$name.lua" "$url" >/dev/null 2>&1 || true
  local line
  line="$(BODY="$body" HEADERS="$headers" wrk -t"$threads" -c"$c" -d"$DURATION" --timeout 10s -s "$WORK/$name.lua" "$url" \
          | tee "$LOG/$name.wrk" | grep '^RESULT' || true)"
  [ -n "$line" ] || { echo "bench: wrk gave no result for $name" >&2; line="RESULT rps=0 p50_us=0 p99_us=0 errors=-1 requests=0"; }
  echo "$name c=$c $line" >>"$RESULTS"
  say "$name c=$c: ${line#RESULT }"
}

CHAT=/v1/chat/completions
say "load: ${DURATION} per scenario, wrk on the same machine"
run direct       1  "http://$HOST:$BACKEND_PORT$CHAT" post.lua "$BODY_PK"
run etr-pass     1  "http://$HOST:$ETR_PORT$CHAT"     post.lua "$BODY_ETR"
run portkey      1  "http://$HOST:$PORTKEY_PORT$CHAT" post.lua "$BODY_PK" "$PK_HEADERS"
run direct      16  "http://$HOST:$BACKEND_PORT$CHAT" post.lua "$BODY_PK"
run etr-pass    16  "http://$HOST:$ETR_PORT$CHAT"     post.lua "$BODY_ETR"
run portkey     16  "http://$HOST:$PORTKEY_PORT$CHAT" post.lua "$BODY_PK" "$PK_HEADERS"
run etr-routed   1  "http://$HOST:$ETR_PORT$CHAT"     distinct.lua
run etr-routed  16  "http://$HOST:$ETR_PORT$CHAT"     distinct.lua
run direct-sse   1  "http://$HOST:$BACKEND_PORT/sse$CHAT" post.lua "$BODY_SSE_DIRECT"
run etr-sse      1  "http://$HOST:$ETR_PORT$CHAT"     post.lua "$BODY_SSE"

# time to first byte of the stream, curl, one at a time
ttfb() { # url body -> median ms over N
  local url="$1" body="$2" n="${TTFB_N:-200}"
  for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' -H 'Content-Type: application/json' -d "$body" "$url"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]*1000}'
}
TTFB_DIRECT="$(ttfb "http://$HOST:$BACKEND_PORT/sse$CHAT" "$BODY_SSE_DIRECT")"
TTFB_ETR="$(ttfb "http://$HOST:$ETR_PORT$CHAT" "$BODY_SSE")"
ROUTE_P50_MS="$(curl -s "http://$HOST:$ETR_PORT/metrics" | awk '
  /^etr_route_duration_seconds_count/ {n=$2} /^etr_route_duration_seconds_sum/ {s=$2}
  END { if (n > 0) printf "%.2f", s / n * 1000; else printf "n/a" }')"
RSS_ETR_MB=$(( $(awk '/VmRSS/ {print $2}' /proc/$ETR_PID/status) / 1024 ))

# ---------------------------------------------------------------- memory with 50 experts
kill "$ETR_PID" 2>/dev/null || true; wait "$ETR_PID" 2>/dev/null || true
say "starting etr with 50 experts for its resident set"
# the jar ./etr built and ran above: no rebuild mid-run, even if someone edits sources meanwhile
java ${ETR_JAVA_OPTS:-} -jar "$ROOT/gateway/target/etr.jar" serve --config "$WORK/etr-50.yaml" --cache-dir "$WORK/cache" >"$LOG/etr50.log" 2>&1 &
ETR50_PID=$!; PIDS+=($ETR50_PID)
wait_http "http://$HOST:$ETR50_PORT/health/ready" 600
for i in $(seq 1 200); do   # a little traffic, routed and passed through, so the numbers are of a serving process
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Question $i about topic $i\"}]}" \
    "http://$HOST:$ETR50_PORT$CHAT"
done
RSS50_MB=$(( $(awk '/VmRSS/ {print $2}' /proc/$ETR50_PID/status) / 1024 ))

# ---------------------------------------------------------------- table
{
  echo "etr benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), wrk on the same machine, ${DURATION} per scenario"
  echo "etr $(git -C "$ROOT" rev-parse --short HEAD), Portkey gateway $PORTKEY_VERSION (node $(node --version)), backend: nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') fixed answer"
  echo
  awk -v bound="$ENCODER_BOUND" '
    function field(k,   i, kv) { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "" }
    { name = $1; c = substr($2, 3); key = name "@" c
      rps[key] = field("rps"); p50[key] = field("p50_us") / 1000; p99[key] = field("p99_us") / 1000; err[key] = field("errors")
      order[++n] = key }
    END {
      printf "| %-16s | %3s | %9s | %8s | %8s | %6s |\n", "scenario", "c", "req/s", "p50 ms", "p99 ms", "errors"
      printf "|%s|%s|%s|%s|%s|%s|\n", "------------------", "-----", "-----------", "----------", "----------", "--------"
      for (i = 1; i <= n; i++) { k = order[i]; split(k, a, "@")
        printf "| %-16s | %3s | %9.0f | %8.3f | %8.3f | %6s |\n", a[1], a[2], rps[k], p50[k], p99[k], err[k] }
      print ""
      printf "pass-through c=16: etr/Portkey throughput %.1fx (target >= 10x); etr/direct %.2f\n", rps["etr-pass@16"] / rps["portkey@16"], rps["etr-pass@16"] / rps["direct@16"]
      printf "pass-through c=1: etr adds %.3f ms p50 over direct (target <= 0.2); Portkey adds %.3f ms; etr/Portkey p50 %.2f\n", p50["etr-pass@1"] - p50["direct@1"], p50["portkey@1"] - p50["direct@1"], p50["etr-pass@1"] / p50["portkey@1"]
      if (bound != "") printf "routed distinct c=16: %.0f req/s = %.0f%% of the encoder alone (%s texts/s; target >= 80%% and >= 500 req/s)\n", rps["etr-routed@16"], 100 * rps["etr-routed@16"] / bound, bound
      printf "routed c=1: p50 %.3f ms, %.3f ms over pass-through (the routing decision, encoder included)\n", p50["etr-routed@1"], p50["etr-routed@1"] - p50["etr-pass@1"]
      printf "streaming c=1 (wrk, whole one-chunk stream): etr %.3f ms vs direct %.3f ms p50, +%.3f ms\n", p50["etr-sse@1"], p50["direct-sse@1"], p50["etr-sse@1"] - p50["direct-sse@1"]
    }' "$RESULTS"
  echo "streaming time to first byte (curl, median of ${TTFB_N:-200}): etr $TTFB_ETR ms, direct $TTFB_DIRECT ms, +$(awk -v a="$TTFB_ETR" -v b="$TTFB_DIRECT" 'BEGIN{printf "%.3f", a-b}') ms (target <= 1 ms)"
  echo "mean routing decision in etr (etr_route_duration_seconds, pool wait included, whole run): $ROUTE_P50_MS ms"
  echo "resident set: etr with 6 experts after the load $RSS_ETR_MB MB; etr with 50 experts, embedded meta-model, serving: $RSS50_MB MB (target < 500 MB)"
} | tee "$OUT/latest.txt"
