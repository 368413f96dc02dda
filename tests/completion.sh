#!/bin/bash
# The bash completion, called as bash calls it: COMP_WORDS and COMP_CWORD
# set, the function run, COMPREPLY read.
set -eu
SUITE=completion
. "$(dirname "$0")/lib.sh"
WRAP=${WRAP:-}
root=$(cd "$here/.." && pwd)
. "$root/completion/exitstat.bash"

# complete WORD...: the command line so far, the last word being typed.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_exitstat || true
	reply=" ${COMPREPLY[*]} "
}
offers() { [[ $reply == *" $1 "* ]]; }
offers_only() { [ "$reply" = " $* " ]; }

check "the completion is registered for exitstat" eval 'complete -p exitstat | grep -q "_exitstat"'

complete_words exitstat --li
check "long options: --li gives --list" offers_only --list
complete_words exitstat --in
check "long options: --in gives --include-self and --interval" eval 'offers --include-self && offers --interval && [ ${#COMPREPLY[@]} -eq 2 ]'
complete_words exitstat ''
check "no words offered where an operand goes" offers_only ''

sim patched --help
help_opts=$(grep -o -- '--[a-z][a-z-]*' "$out" | sort -u)
complete_words exitstat --
offered=$(printf '%s\n' "${COMPREPLY[@]}" | grep -- '^--[a-z]' | sort -u)
check "every long option of --help is completed, and no other" [ "$help_opts" = "$offered" ]
help_short=$(grep -o -- '^  -[a-zA-Z],' "$out" | tr -d ' ,' | sort -u)
complete_words exitstat -
offered=$(printf '%s\n' "${COMPREPLY[@]}" | grep -- '^-[a-zA-Z]$' | sort -u)
check "every short option of --help is completed" [ "$help_short" = "$offered" ]

complete_words exitstat -r EPT_V
check "reason names, upper case" offers_only EPT_VIOLATION
complete_words exitstat --reason ept_v
check "reason names in the case typed" offers_only ept_violation
complete_words exitstat -r cpuid,hl
check "the last item of a comma list" offers_only cpuid,hlt
complete_words exitstat --reason = msr_w
check "--reason=VALUE" offers_only "msr_write msr_write_imm"
complete_words exitstat -r rdms
check "aliases: the SDM's instruction names" offers rdmsr

sim bare-metal --list -f csv
known=$(tail -n +2 "$out" | awk -F, '{ print $2; n = split($4, a, " "); for (i = 1; i <= n; i++) print a[i] }' | grep . | sort)
# shellcheck disable=SC2154
completed=$(printf '%s\n' $_exitstat_reasons | sort)
check "the completion knows every name and alias of exitstat --list" eval '[ -n "$known" ] && [ "$known" = "$completed" ]'

complete_words exitstat -s ''
check "sort keys" offers_only count rate time avg reason name
complete_words exitstat -f pro
check "formats" offers_only prometheus
complete_words exitstat --units a
check "units" offers_only auto
complete_words exitstat --cpu ''
allowed=$(taskset -cp $$ | sed 's/.*: //')
first_cpu=${allowed%%[-,]*}
check "--cpu: the CPUs this shell may run on" eval 'offers "$first_cpu" && ! offers 1024'
complete_words exitstat --per
check "--per gives --per-cpu" offers_only --per-cpu
complete_words exitstat -i ''
check "no words for a number" offers_only ''

mkdir -p "$tmp/kvm/4242-11" "$tmp/kvm/4242-15" "$tmp/kvm/77-9" "$tmp/kvm/vcpu-stats"
EXITSTAT_KVM_DEBUGFS=$tmp/kvm
complete_words exitstat --host ''
check "--host: all and each PID with a VM, once" offers_only 4242 77 all
complete_words exitstat --host 4
check "--host: PIDs as typed" offers_only 4242
complete_words exitstat --host --wa
check "--host: an option after it" offers_only --watch
unset EXITSTAT_KVM_DEBUGFS

complete_words exitstat -a -- ech
check "after --: command names" offers echo
complete_words exitstat -- ls --al
check "after --: not exitstat's options" eval '! offers --all'
summary
