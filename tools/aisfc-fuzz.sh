#!/usr/bin/env bash
# aisfc fuzz: libFuzzer targets of the module's input parsers (issue 10, item 1).
#
#   tools/aisfc-fuzz.sh --list                  one target name per line
#   tools/aisfc-fuzz.sh TARGET [--seconds N] [-- LIBFUZZER_ARGS...]
#                                               build TARGET if needed, then fuzz it for N seconds
#                                               (default 60) from a fresh copy of its seed corpus
#   tools/aisfc-fuzz.sh --build-only TARGET     only build (prints the binary's path)
#
# Each target is test/fuzz/fuzz-TARGET.cc plus the model sources it needs, compiled with
# clang++ -fsanitize=fuzzer,address,undefined -g -O1 against Debian's ns-3 headers and
# libraries into build-fuzz/ (AISFC_FUZZ_BUILD_DIR overrides); objects are cached and rebuilt
# when a source or header is newer.  The seed corpus test/fuzz/corpus/TARGET/ is copied to a
# temporary directory, so the tree is never modified.  A crash, leak, timeout or sanitizer report
# is saved under build-fuzz/crashes/TARGET/ and the exit status is 1.
# Exit status: 0 no finding, 1 finding or internal failure, 2 bad usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${AISFC_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
JOBS="${AISFC_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# Model sources each target compiles (beside test/fuzz/fuzz-TARGET.cc).
declare -A TARGET_SOURCES=(
  [srh]="model/srv6/srv6-segment-routing-header.cc"
  [graphml]="model/common/aisfc-io.cc model/common/aisfc-units.cc model/graph/aisfc-topology.cc
             model/graph/topology-builder.cc model/graph/topology-graphml-reader.cc"
  [topology-json]="model/common/aisfc-io.cc model/common/aisfc-units.cc
                   model/common/aisfc-json-reader.cc model/graph/aisfc-topology.cc
                   model/graph/topology-builder.cc model/graph/topology-json-reader.cc"
  [scenario-json]="model/common/aisfc-io.cc model/common/aisfc-units.cc
                   model/common/aisfc-json-reader.cc helper/aisfc-scenario.cc
                   helper/srv6-scenario.cc helper/pdp-scenario.cc helper/nsf-scenario.cc"
  [csv]="model/common/aisfc-io.cc model/dune/dune-csv.cc model/dune/dune-features.cc
         model/dune/dune-packet.cc model/learn/learn-dataset.cc"
  [pcap]="model/common/aisfc-io.cc model/dune/dune-packet.cc"
  [aisid]="model/aisid/aisid-codec.cc model/aisid/dns-message.cc"
  [srv6-node]="model/common/aisfc-io.cc model/common/aisfc-units.cc model/common/aisfc-json-reader.cc
               model/graph/aisfc-topology.cc model/graph/topology-builder.cc
               model/graph/topology-generators.cc model/graph/topology-graphml-reader.cc
               model/graph/topology-json-reader.cc model/graph/topology-source.cc
               model/graph/aisfc-paths.cc model/routing/aisfc-fib.cc model/routing/aisfc-routing.cc
               model/routing/aisfc-input-hook.cc model/srv6/srv6-segment-routing-header.cc
               model/srv6/srv6-extension-routing.cc model/srv6/srv6-packet.cc
               model/srv6/srv6-policy.cc model/srv6/srv6-service-function.cc
               model/srv6/srv6-sid-table.cc helper/aisfc-network-builder.cc"
)
# Targets that also link the module's own library (./aisfc build makes it): scenario-json
# compiles the scenario readers instrumented (they interpose the library's copies), while the
# code those files reference for wiring a scenario into ns-3 comes from the library.
# (srv6-node cannot: its sources register ns-3 TypeIds and log components, which must exist once,
# so it compiles everything from the topology to the SRv6 data plane itself.)
declare -A TARGET_NEEDS_MODULE_LIB=([scenario-json]=1)
MODULE_BUILD="${AISFC_BUILD_DIR:-$ROOT/build}"
TARGETS=(srh srv6-node graphml topology-json scenario-json csv pcap aisid)

# Debian's ns-3 and the third-party libraries the module uses.
NS3_LIBS=(-lns3-core -lns3-network -lns3-internet -lns3-point-to-point -lns3-applications)
THIRD_PARTY_LIBS=(-lpugixml -lcrypto -lpthread)
PACKAGES=(clang libns3-dev libgsl-dev libboost-graph-dev nlohmann-json3-dev libpugixml-dev
          libssl-dev libeigen3-dev)

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

die() { echo "aisfc fuzz: $*" >&2; exit 1; }

ensure_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "aisfc fuzz: missing Debian packages; install them with:" >&2
      echo "  sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
    echo "aisfc fuzz: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 || die "apt-get update failed"
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || die "apt-get install failed"
  fi
  # libFuzzer's runtime ships with clang's compiler-rt; check it links.
  local probe
  probe="$(mktemp -d)"
  printf '#include <cstdint>\n#include <cstddef>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' \
    >"$probe/p.cc"
  if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cc" -o "$probe/p" 2>"$probe/err"; then
    cat "$probe/err" >&2
    rm -rf "$probe"
    die "clang++ cannot link libFuzzer (install clang's compiler-rt, e.g. libclang-rt-dev)"
  fi
  rm -rf "$probe"
}

# build/include/ns3 of the CMake build, made here: every module header as ns3/<name>.h.
make_include_dir() {
  local inc="$BUILD/include/ns3" h name
  mkdir -p "$inc"
  for h in "$ROOT"/model/*/*.h "$ROOT"/helper/*.h; do
    name="$(basename "$h")"
    [ "$(readlink "$inc/$name" 2>/dev/null)" = "$h" ] || ln -sfn "$h" "$inc/$name"
  done
}

CXXFLAGS=(-std=c++17 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
          -fno-sanitize-recover=undefined -I"$BUILD/include" -I/usr/include/eigen3
          -DAISFC_SOURCE_DIR="\"$ROOT\"" -Wno-deprecated-declarations)

# Compile one source (a model file or the target's fuzz .cc) into $BUILD/obj unless cached:
# rebuilt when the source or any header of the module or of test/fuzz is newer than the object.
compile() {
  local src="$1"
  local obj="$BUILD/obj/${src//\//_}.o" flags=("${CXXFLAGS[@]}")
  # Model objects are linked into a program whose main() is libFuzzer's: instrument them with
  # -fsanitize=fuzzer-no-link so coverage reaches them without a second main().
  if [[ "$src" != test/fuzz/* ]]; then
    flags=("${flags[@]/-fsanitize=fuzzer,address,undefined/-fsanitize=fuzzer-no-link,address,undefined}")
  fi
  mkdir -p "$BUILD/obj"
  if [ -f "$obj" ] && [ -z "$(find "$ROOT/$src" "$ROOT"/model "$ROOT"/helper "$ROOT"/test/fuzz \
                              -name '*.h' -newer "$obj" -o -path "$ROOT/$src" -newer "$obj" \
                              2>/dev/null | head -1)" ]; then
    return 0
  fi
  echo "aisfc fuzz: compiling $src" >&2
  clang++ "${flags[@]}" -c "$ROOT/$src" -o "$obj.tmp.$BASHPID" && mv "$obj.tmp.$BASHPID" "$obj"
}

build_target() {
  local target="$1"
  local bin="$BUILD/bin/fuzz-$target" srcs objs=() pids=() s status=0
  ensure_packages
  make_include_dir
  read -r -a srcs <<<"$(echo ${TARGET_SOURCES[$target]}) test/fuzz/fuzz-$target.cc"
  # Compile in parallel, JOBS at a time.
  for s in "${srcs[@]}"; do
    compile "$s" &
    pids+=($!)
    objs+=("$BUILD/obj/${s//\//_}.o")
    if [ ${#pids[@]} -ge "$JOBS" ]; then
      wait "${pids[0]}" || status=1
      pids=("${pids[@]:1}")
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
  [ $status -eq 0 ] || die "compilation of target $target failed"
  local newest extra_libs=()
  if [ -n "${TARGET_NEEDS_MODULE_LIB[$target]:-}" ]; then
    if [ ! -f "$MODULE_BUILD/libns3-aisfc.so" ]; then
      echo "aisfc fuzz: $target needs the module library; building it (./aisfc build)" >&2
      "$ROOT/aisfc" build || die "./aisfc build failed"
    fi
    extra_libs=("$MODULE_BUILD/libns3-aisfc.so" "-Wl,-rpath,$MODULE_BUILD" -lgsl -lCbcSolver -lCbc)
  fi
  newest="$(ls -t "${objs[@]}" "${extra_libs[0]:-${objs[0]}}" | head -1)"
  if [ ! -x "$bin" ] || [ "$newest" -nt "$bin" ]; then
    echo "aisfc fuzz: linking $bin" >&2
    mkdir -p "$BUILD/bin"
    clang++ "${CXXFLAGS[@]}" "${objs[@]}" "${extra_libs[@]}" "${NS3_LIBS[@]}" "${THIRD_PARTY_LIBS[@]}" -o "$bin.tmp.$$" \
      || die "linking target $target failed"
    mv "$bin.tmp.$$" "$bin"
  fi
  echo "$bin"
}

is_target() {
  local t
  for t in "${TARGETS[@]}"; do [ "$t" = "$1" ] && return 0; done
  return 1
}

run_target() {
  local target="$1" seconds="$2"
  shift 2
  local bin work crashes log status
  bin="$(build_target "$target")"
  work="$(mktemp -d "${TMPDIR:-/tmp}/aisfc-fuzz-$target.XXXXXX")"
  WORK_DIR="$work"
  trap 'rm -rf "$WORK_DIR"' EXIT
  mkdir -p "$work/corpus"
  if [ -d "$ROOT/test/fuzz/corpus/$target" ]; then
    cp -R "$ROOT/test/fuzz/corpus/$target/." "$work/corpus/"
  fi
  local seeds
  seeds="$(find "$work/corpus" -type f | wc -l)"
  crashes="$BUILD/crashes/$target"
  mkdir -p "$crashes"
  log="$work/fuzz.log"
  echo "aisfc fuzz: $target for ${seconds}s from $seeds seeds" >&2
  # -rss_limit_mb and -timeout turn unbounded allocation and hangs into findings (item 5).
  # libFuzzer writes temporary files of the csv and pcap targets under TMPDIR.
  status=0
  (cd "$work" && TMPDIR="$work" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
     UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
     "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
       -print_final_stats=1 -artifact_prefix="$crashes/" "$@" "$work/corpus" >"$log" 2>&1) \
    || status=$?
  local execs corpus_files corpus_bytes
  execs="$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | awk '{print $2}')"
  [ -n "$execs" ] || execs="$(grep -o 'average_exec_per_sec *: *[0-9]*' "$log" | awk -F: '{print $2}' | tr -d ' ')"
  corpus_files="$(find "$work/corpus" -type f | wc -l)"
  corpus_bytes="$(du -sb "$work/corpus" | awk '{print $1}')"
  echo "target: $target"
  echo "seconds: $seconds"
  echo "execs_per_second: ${execs:-0}"
  echo "runs: $(grep -o 'number_of_executed_units *: *[0-9]*' "$log" | awk -F: '{print $2}' | tr -d ' ')"
  echo "corpus_files: $corpus_files"
  echo "corpus_bytes: $corpus_bytes"
  echo "seed_files: $seeds"
  if [ $status -ne 0 ]; then
    grep -E '^==[0-9]+==|ERROR|SUMMARY|runtime error|Test unit written|deadly signal|timeout|out-of-memory' \
      "$log" | head -40 >&2 || true
    echo "aisfc fuzz: $target FAILED (exit $status); inputs saved in $crashes/ (log: $crashes/last.log)" >&2
    cp "$log" "$crashes/last.log"
    return 1
  fi
  echo "result: no crash"
}

[ $# -gt 0 ] || { usage; exit 2; }
case "$1" in
  -h|--help) usage; exit 0 ;;
  --list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
  --build-only)
    [ $# -eq 2 ] && is_target "$2" || { echo "aisfc fuzz: --build-only TARGET" >&2; exit 2; }
    build_target "$2"; exit 0 ;;
esac
target="$1"
shift
is_target "$target" || { echo "aisfc fuzz: unknown target '$target' (see --list)" >&2; exit 2; }
seconds=60
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds)
      [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] \
        || { echo "aisfc fuzz: --seconds needs a positive whole number" >&2; exit 2; }
      seconds="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "aisfc fuzz: unknown option '$1'" >&2; exit 2 ;;
  esac
done
run_target "$target" "$seconds" "${extra[@]}"
