#!/bin/sh
# CPUIDs the client issues over the simulated host (each one is a VM exit
# of the very reason it reports):
#   cpuid-count.sh SIM SCENARIO oneshot [ARGS...]  every CPUID of one report
#   cpuid-count.sh SIM SCENARIO refresh [ARGS...]  per --batch refresh after
#                                                  the first sample
set -eu
sim=$1 scenario=$2 what=$3
shift 3
log=$(mktemp)
trap 'rm -f "$log"' EXIT
case $what in
oneshot)
	EXITSTAT_SIM=$scenario EXITSTAT_SIM_LOG=$log "$sim" "$@" >/dev/null 2>&1
	wc -l <"$log" | tr -d ' '
	;;
refresh)
	EXITSTAT_SIM=$scenario EXITSTAT_SIM_LOG=$log "$sim" -b -n 4 -i 0.1 \
		"$@" >/dev/null 2>&1
	# A snapshot ends with the read of 0x4ffffffd (total cycles).
	awk '$1 == "4ffffffd" { if (!n++) first = NR; last = NR }
		END { print (n > 1) ? (last - first) / (n - 1) : "none" }' "$log"
	;;
esac
