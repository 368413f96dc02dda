# bash completion for exitstat(1): options, their keywords and reason names.
# Installed by "make install" as share/bash-completion/completions/exitstat.

# Every name and alias --reason accepts; tests/completion.sh checks this
# against "exitstat --list".
_exitstat_reasons="
	EXCEPTION_NMI EXCEPTION NMI EXTERNAL_INTERRUPT INTR
	TRIPLE_FAULT INIT_SIGNAL INIT SIPI_SIGNAL SIPI IO_SMI
	OTHER_SMI INTERRUPT_WINDOW NMI_WINDOW TASK_SWITCH CPUID
	GETSEC HLT INVD INVLPG RDPMC RDTSC RSM VMCALL VMCLEAR
	VMLAUNCH VMPTRLD VMPTRST VMREAD VMRESUME VMWRITE VMXOFF
	VMOFF VMXON VMON CR_ACCESS CR MOV_CR DR_ACCESS DR MOV_DR
	IO_INSTRUCTION IO MSR_READ RDMSR MSR_WRITE WRMSR INVALID_STATE
	MSR_LOAD_FAIL MWAIT_INSTRUCTION MWAIT MONITOR_TRAP_FLAG
	MTF MONITOR_INSTRUCTION MONITOR PAUSE_INSTRUCTION
	PAUSE MCE_DURING_VMENTRY TPR_BELOW_THRESHOLD APIC_ACCESS
	EOI_INDUCED EOI GDTR_IDTR LDTR_TR EPT_VIOLATION EPT_MISCONFIG
	EPT_MISCONFIGURATION INVEPT RDTSCP PREEMPTION_TIMER PREEMPTION
	INVVPID WBINVD XSETBV APIC_WRITE RDRAND INVPCID VMFUNC ENCLS
	RDSEED PML_FULL PML XSAVES XRSTORS PCONFIG SPP_EVENT SPP UMWAIT
	TPAUSE LOADIWKEY ENCLV ENQCMD_PASID_FAIL ENQCMDS_PASID_FAIL
	BUS_LOCK NOTIFY NOTIFY_WINDOW SEAMCALL TDCALL RDMSRLIST
	WRMSRLIST URDMSR UWRMSR MSR_READ_IMM MSR_WRITE_IMM"

_exitstat()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev i words head
	local cword=$COMP_CWORD

	# Words after "--" are a command line of their own.
	for ((i = 1; i < cword; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			if declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			elif ((i == cword - 1)); then
				COMPREPLY=($(compgen -c -- "$cur"))
			else
				COMPREPLY=($(compgen -f -- "$cur"))
			fi
			return
		fi
	done

	prev=${COMP_WORDS[cword - 1]}
	# --option=value: readline splits at '=', so look one word further back.
	if [[ $cur == = ]]; then
		cur=
	fi
	if [[ $prev == = ]] && ((cword >= 2)); then
		prev=${COMP_WORDS[cword - 2]}
	fi

	case $prev in
	-r | --reason)
		# A comma list: complete its last item, keep the items before.
		head=
		if [[ $cur == *,* ]]; then
			head=${cur%,*},
			cur=${cur##*,}
		fi
		words=$_exitstat_reasons
		# Names are case-blind: offer them in the case being typed.
		if [[ $cur == [a-z]* ]]; then
			words=${words,,}
		fi
		COMPREPLY=($(compgen -P "$head" -W "$words" -- "$cur"))
		return
		;;
	-s | --sort)
		COMPREPLY=($(compgen -W "count rate time avg reason name" -- "$cur"))
		return
		;;
	-f | --format)
		COMPREPLY=($(compgen -W "table json csv prometheus" -- "$cur"))
		return
		;;
	-u | --units)
		COMPREPLY=($(compgen -W "cycles auto ns us ms s" -- "$cur"))
		return
		;;
	--host)
		# Its value is optional: "all", a PID with a VM, or an option next.
		if [[ $cur != -* ]]; then
			local vm dir=${EXITSTAT_KVM_DEBUGFS:-/sys/kernel/debug/kvm}
			words=all
			for vm in "$dir"/[0-9]*-[0-9]*; do
				[[ -d $vm ]] && words+=" ${vm##*/}"
			done
			words=$(printf '%s\n' $words | sed 's/-[0-9]*$//' | sort -u)
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
			return
		fi
		;;
	--cpu)
		# The CPUs this shell may run on, as exitstat may (0-3,6 -> 0 1 2 3 6).
		words=$(taskset -cp $$ 2>/dev/null | sed 's/.*: //' | tr ',' '\n' |
			awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }')
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
		;;
	-i | --interval | -n | --iterations | --tsc-hz)
		# A number: nothing to offer.
		COMPREPLY=()
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-a --all -r --reason -s --sort -f --format
			-u --units --tsc-hz --raw --list -w --watch -b --batch
			-i --interval -n --iterations --include-self --per-cpu
			--cpu --host --ascii -h --help
			-V --version --" -- "$cur"))
	fi
}
complete -F _exitstat exitstat
