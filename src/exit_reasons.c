#include "exit_reasons.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

struct reason_entry {
	const char *name;
	const char *summary;
};

/*
 * Intel SDM Vol. 3, Appendix C "VMX Basic Exit Reasons", with the reasons
 * that the ISE (Instruction Set Extensions and Future Features) adds ahead
 * of it: one list, as exitstat-cpuid(7) names it.  Names follow Linux's
 * EXIT_REASON_* where Linux has one.  35, 38, 42, 71, 82 and 83 stay
 * empty: neither document defines them.
 */
static const struct reason_entry reasons[] = {
	[0] = { "EXCEPTION_NMI", "Exception or non-maskable interrupt" },
	[1] = { "EXTERNAL_INTERRUPT", "External interrupt" },
	[2] = { "TRIPLE_FAULT", "Triple fault" },
	[3] = { "INIT_SIGNAL", "INIT signal" },
	[4] = { "SIPI_SIGNAL", "Start-up IPI" },
	[5] = { "IO_SMI", "I/O system-management interrupt" },
	[6] = { "OTHER_SMI", "Other system-management interrupt" },
	[7] = { "INTERRUPT_WINDOW", "Interrupt window" },
	[8] = { "NMI_WINDOW", "NMI window" },
	[9] = { "TASK_SWITCH", "Task switch" },
	[10] = { "CPUID", "CPUID" },
	[11] = { "GETSEC", "GETSEC" },
	[12] = { "HLT", "HLT" },
	[13] = { "INVD", "INVD" },
	[14] = { "INVLPG", "INVLPG" },
	[15] = { "RDPMC", "RDPMC" },
	[16] = { "RDTSC", "RDTSC" },
	[17] = { "RSM", "RSM in SMM" },
	[18] = { "VMCALL", "VMCALL" },
	[19] = { "VMCLEAR", "VMCLEAR" },
	[20] = { "VMLAUNCH", "VMLAUNCH" },
	[21] = { "VMPTRLD", "VMPTRLD" },
	[22] = { "VMPTRST", "VMPTRST" },
	[23] = { "VMREAD", "VMREAD" },
	[24] = { "VMRESUME", "VMRESUME" },
	[25] = { "VMWRITE", "VMWRITE" },
	[26] = { "VMXOFF", "VMXOFF" },
	[27] = { "VMXON", "VMXON" },
	[28] = { "CR_ACCESS", "Control-register access" },
	[29] = { "DR_ACCESS", "MOV DR" },
	[30] = { "IO_INSTRUCTION", "I/O instruction" },
	[31] = { "MSR_READ", "RDMSR" },
	[32] = { "MSR_WRITE", "WRMSR" },
	[33] = { "INVALID_STATE", "VM-entry failure: invalid guest state" },
	[34] = { "MSR_LOAD_FAIL", "VM-entry failure: MSR loading" },
	[36] = { "MWAIT_INSTRUCTION", "MWAIT" },
	[37] = { "MONITOR_TRAP_FLAG", "Monitor trap flag" },
	[39] = { "MONITOR_INSTRUCTION", "MONITOR" },
	[40] = { "PAUSE_INSTRUCTION", "PAUSE" },
	[41] = { "MCE_DURING_VMENTRY", "VM-entry failure: machine-check event" },
	[43] = { "TPR_BELOW_THRESHOLD", "TPR below threshold" },
	[44] = { "APIC_ACCESS", "APIC access" },
	[45] = { "EOI_INDUCED", "Virtualized EOI" },
	[46] = { "GDTR_IDTR", "Access to GDTR or IDTR" },
	[47] = { "LDTR_TR", "Access to LDTR or TR" },
	[48] = { "EPT_VIOLATION", "EPT violation" },
	[49] = { "EPT_MISCONFIG", "EPT misconfiguration" },
	[50] = { "INVEPT", "INVEPT" },
	[51] = { "RDTSCP", "RDTSCP" },
	[52] = { "PREEMPTION_TIMER", "VMX-preemption timer expired" },
	[53] = { "INVVPID", "INVVPID" },
	[54] = { "WBINVD", "WBINVD or WBNOINVD" },
	[55] = { "XSETBV", "XSETBV" },
	[56] = { "APIC_WRITE", "APIC write" },
	[57] = { "RDRAND", "RDRAND" },
	[58] = { "INVPCID", "INVPCID" },
	[59] = { "VMFUNC", "VMFUNC" },
	[60] = { "ENCLS", "ENCLS" },
	[61] = { "RDSEED", "RDSEED" },
	[62] = { "PML_FULL", "Page-modification log full" },
	[63] = { "XSAVES", "XSAVES" },
	[64] = { "XRSTORS", "XRSTORS" },
	[65] = { "PCONFIG", "PCONFIG" },
	[66] = { "SPP_EVENT", "SPP-related event" },
	[67] = { "UMWAIT", "UMWAIT" },
	[68] = { "TPAUSE", "TPAUSE" },
	[69] = { "LOADIWKEY", "LOADIWKEY" },
	[70] = { "ENCLV", "ENCLV" },
	[72] = { "ENQCMD_PASID_FAIL", "ENQCMD PASID translation failure" },
	[73] = { "ENQCMDS_PASID_FAIL", "ENQCMDS PASID translation failure" },
	[74] = { "BUS_LOCK", "Bus lock" },
	[75] = { "NOTIFY", "Instruction timeout" },
	[76] = { "SEAMCALL", "SEAMCALL" },
	[77] = { "TDCALL", "TDCALL" },
	[78] = { "RDMSRLIST", "RDMSRLIST" },
	[79] = { "WRMSRLIST", "WRMSRLIST" },
	[80] = { "URDMSR", "URDMSR" },
	[81] = { "UWRMSR", "UWRMSR" },
	[84] = { "MSR_READ_IMM", "RDMSR with immediate operand" },
	[85] = { "MSR_WRITE_IMM", "WRMSRNS with immediate operand" },
};

#define NREASONS (sizeof(reasons) / sizeof(reasons[0]))

/* Other spellings people type: SDM instruction names and Linux's old ones. */
static const struct {
	const char *alias;
	uint32_t reason;
} aliases[] = {
	{ "EXCEPTION", 0 },   { "NMI", 0 },	      { "INTR", 1 },
	{ "INIT", 3 },	      { "SIPI", 4 },	      { "VMOFF", 26 },
	{ "VMON", 27 },	      { "CR", 28 },	      { "MOV_CR", 28 },
	{ "DR", 29 },	      { "MOV_DR", 29 },	      { "IO", 30 },
	{ "RDMSR", 31 },      { "WRMSR", 32 },	      { "MWAIT", 36 },
	{ "MTF", 37 },	      { "MONITOR", 39 },      { "PAUSE", 40 },
	{ "EOI", 45 },	      { "EPT_MISCONFIGURATION", 49 },
	{ "PREEMPTION", 52 }, { "PML", 62 },	      { "SPP", 66 },
	{ "NOTIFY_WINDOW", 75 },
};

const char *exit_reason_name(uint32_t reason)
{
	return reason < NREASONS ? reasons[reason].name : NULL;
}

const char *exit_reason_summary(uint32_t reason)
{
	return reason < NREASONS ? reasons[reason].summary : NULL;
}

uint32_t exit_reason_named_limit(void)
{
	return NREASONS;
}

const char *exit_reason_alias(size_t index, uint32_t *reason)
{
	if (index >= sizeof(aliases) / sizeof(aliases[0]))
		return NULL;
	*reason = aliases[index].reason;
	return aliases[index].alias;
}

bool exit_reason_lookup(const char *name, uint32_t *reason)
{
	static const char prefix[] = "EXIT_REASON_";
	uint32_t i;

	if (strncasecmp(name, prefix, sizeof(prefix) - 1) == 0)
		name += sizeof(prefix) - 1;
	if (*name == '\0')
		return false;

	for (i = 0; i < NREASONS; i++) {
		if (reasons[i].name && strcasecmp(name, reasons[i].name) == 0) {
			*reason = i;
			return true;
		}
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcasecmp(name, aliases[i].alias) == 0) {
			*reason = aliases[i].reason;
			return true;
		}
	}
	return false;
}
