# Sourced by bench/run (its variables and functions: bench, build_dir, tmp, nproc, PY,
# only, realcode, jscored, W2, W3, w7_args, log, die, start_server, run_load):
# Cloudflare's workerd as a bench peer (issue 18); bench/README.md ("Peers") says how it
# runs and what it cannot run.
# shellcheck shell=bash

# bench/peers/workerd/: the npm package workerd (pinned) installed into BUILD_DIR/workerd
# at bench time, serving W2, W3 (and W7) from one ES module worker over HTTP/1.1, as one
# process (workerd1) and one per core (workerdN) sharing a port; h2load drives it
# (h2load_run.py: the loadgen's flags in, the loadgen's JSON out). Skipped without npm.
workerd_bin=""
workerd_version=none
workerd_systems=()
is_workerd() { case "$1" in workerd*) return 0 ;; *) return 1 ;; esac; }
workerd_prepare() {
  if [ "${only}" = values ] || [ "${only}" = clients ]; then return 0; fi
  if workerd_bin=$("${bench}/peers/workerd/prepare" "${build_dir}" 2>"${tmp}/workerd.log"); then
    workerd_version=$("${workerd_bin}" --version 2>/dev/null | head -n1)
    log "workerd peer: ${workerd_version}"
  else
    workerd_bin=""
    log "workerd peer skipped: $(tail -n 1 "${tmp}/workerd.log")"
  fi
}
workerd_start() {
  [ -n "${workerd_bin}" ] || return 0
  local n program=()
  [ "${realcode}" = 1 ] && program=(--program="${build_dir}/realcode/program.js")
  for n in 1 "${nproc}"; do
    local name=workerd1
    [ "${n}" = 1 ] || name=workerdN
    start_server "${name}" "${PY}" "${bench}/peers/workerd/serve.py" --workerd="${workerd_bin}" \
      --processes="${n}" --listen=127.0.0.1:0 "${program[@]}"
    workerd_systems+=("${name}")
  done
}
# workerd_w7_args: W7 (the loadgen's flags) as the full suite defines it.
workerd_w7_args() {
  rc_dir="${build_dir}/realcode"
  rc_expect=$("${PY}" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["1"]))' \
    "${rc_dir}/expect.json")
  W7=(--workload=call --program_file="${rc_dir}/program.js" --function=loopSign
      --args_json="${w7_args}" --expect_json="${rc_expect}")
}
# workerd_only: --only workerd: workerd beside jscored, short runs, W2/W3/W7.
workerd_only() {
  [ -n "${workerd_bin}" ] || die "no workerd peer (see above)"
  start_server jscored "${jscored}" --listen=127.0.0.1:0 --workers="${nproc}" --log_level=warn
  workerd_start
  D=(--duration=3s --warmup=1s)
  local s
  for s in jscored "${workerd_systems[@]}"; do
    run_load "${s}" W2 c64 "${W2[@]}" --concurrency=64 "${D[@]}"
    run_load "${s}" W3 c4 "${W3[@]}" --concurrency=4 "${D[@]}"
  done
  if [ "${realcode}" = 1 ]; then
    workerd_w7_args
    for s in jscored "${workerd_systems[@]}"; do
      run_load "${s}" W7 c16 "${W7[@]}" --concurrency=16 "${D[@]}"
    done
  fi
}
