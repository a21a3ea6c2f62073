# Sourced by bench/run (its variables and functions: root, bench, build_dir, tmp, out, PY,
# jscored, loadgen, failures, log, run_load): the client-side sections.
#   values_section DIR   issue 13's before/after (values as protobuf Value vs JSON)
#   clients_section DIR  issue 18's: the Python client before and after issue 18, asyncio,
#                        the C++ loadgen's one Batch stream, Go and Java (python_client.py)
#   fresh_contexts DIR   issue 18's: a fresh context bare, standard (engine_fresh_context_bench)
# shellcheck shell=bash

values_before_ref=d62abe5   # the last commit before issue 13 (values as protobuf Value)
clients_before_ref=a9acaf5  # the last commit before issue 18's client work
fresh_bench="${build_dir}/engine/bench/engine_fresh_context_bench"

# W2 and W5 with values as protobuf Value messages (what clients sent before issue 13)
# and as ordered JSON, alternating, two rounds; then the Python client of
# ${values_before_ref} and of this tree from one process (unary and Batch, as then).
values_section() {
  local vdir=$1 enc saved_runs="${runs_file}"
  mkdir -p "${vdir}"
  [ "${vdir}" = "${out}" ] || { rm -f "${vdir}"/{runs,python_client}.jsonl; cp "${out}/machine.json" "${vdir}/"; }
  runs_file="${vdir}/runs.jsonl"
  for ROUND in 1 2; do
    for enc in proto json; do
      local ev=()
      [ "${enc}" = json ] && ev=(--json_values)
      run_load jscored W2 "c64-${enc}" "${W2[@]}" "${ev[@]}" --concurrency=64 "${D[@]}"
      run_load jscored W5 "c256-${enc}" "${W5[@]}" "${ev[@]}" --concurrency=256 "${D[@]}"
    done
  done
  ROUND=1
  runs_file="${saved_runs}"
  log "values: the Python client of ${values_before_ref} and of this tree, one process each"
  "${PY}" "${bench}/python_client.py" --jscored "${jscored}" --before-ref "${values_before_ref}" \
    --modes calls,shared,batch --loadgen '' --rounds 2 --json "${vdir}/python_client.jsonl" \
    >"${tmp}/python_client.out" 2>"${tmp}/python_client.err" || { failures=$((failures + 1))
      log "FAILED python_client.py: $(tail -n 3 "${tmp}/python_client.err" | tr '\n' ' ')"; }
  sed -n '/^Python client/,$p' "${tmp}/python_client.out" >&2
}

# The Go client's bench program (clients/go/cmd/clientbench), built into build_dir;
# prints its path, or nothing without Go.
clients_go_bench() {
  command -v go >/dev/null || return 0
  local exe="${build_dir}/clientbench-go"
  (cd "${root}/clients/go" && export $(bash build.sh | tr '\n' ' ') &&
    go build -o "${exe}" ./cmd/clientbench) >"${tmp}/clientbench-go.log" 2>&1 &&
    echo "${exe}" || log "clients: Go clientbench did not build: $(tail -n 2 "${tmp}/clientbench-go.log")"
}

clients_section() {
  local dir=$1 go_bench java=()
  mkdir -p "${dir}"
  rm -f "${dir}/clients.jsonl"
  go_bench=$(clients_go_bench)
  if command -v java >/dev/null && ! bash "${root}/clients/java/classpath.sh" >/dev/null 2>&1; then
    log "clients: building the Java client (clients/java/build.sh)"
    bash "${root}/clients/java/build.sh" -q >"${tmp}/java-build.log" 2>&1 ||
      log "clients: the Java client did not build: $(tail -n 2 "${tmp}/java-build.log")"
  fi
  if command -v java >/dev/null && cp_java=$(bash "${root}/clients/java/classpath.sh" 2>/dev/null); then
    java=(--java "java -cp ${cp_java} ${root}/clients/java/examples/ClientBench.java")
  fi
  log "clients: Python before (${clients_before_ref}) and after, asyncio, loadgen, Go, Java"
  "${PY}" "${bench}/python_client.py" --jscored "${jscored}" --before-ref "${clients_before_ref}" \
    --loadgen "${loadgen}" ${go_bench:+--go "${go_bench}"} "${java[@]}" --rounds 2 \
    --json "${dir}/clients.jsonl" >"${tmp}/clients.out" 2>"${tmp}/clients.err" || {
      failures=$((failures + 1))
      log "FAILED clients: $(tail -n 3 "${tmp}/clients.err" | tr '\n' ' ')"; }
  sed -n '/^Python client/,$p' "${tmp}/clients.out" >&2
}

fresh_contexts() {
  local dir=$1
  [ -x "${fresh_bench}" ] || { log "fresh contexts: no ${fresh_bench}"; return 0; }
  log "fresh contexts: Context::New, bare, standard (engine_fresh_context_bench)"
  "${fresh_bench}" --benchmark_filter='BM_FreshContext(RawNew|Bare|Standard/0)$' \
    --benchmark_repetitions=3 --benchmark_min_time=0.3 --benchmark_format=json \
    >"${dir}/fresh_context.json" 2>"${tmp}/fresh.err" || {
      failures=$((failures + 1)); log "FAILED fresh contexts: $(tail -n 3 "${tmp}/fresh.err")"; }
}
