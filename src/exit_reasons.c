#include "exit_reasons.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>


/*
 * Intel SDM Vol. 3, Appendix C "VMX Basic Exit Reasons".  Names follow
 * Linux's EXIT_REASON_* where Linux has one.  35, 38, 42, 71 and 80-83
 * stay empty: the SDM leaves them undefined (80-83 are not confirmed).
 */
static const char *const reasons[] = {
	[0] = "EXCEPTION_NMI",
	[1] = "EXTERNAL_INTERRUPT",
	[2] = "TRIPLE_FAULT",
	[3] = "INIT_SIGNAL",
	[4] = "SIPI_SIGNAL",
	[5] = "IO_SMI",
	[6] = "OTHER_SMI",
	[7] = "INTERRUPT_WINDOW",
	[8] = "NMI_WINDOW",
	[9] = "TASK_SWITCH",
	[10] = "CPUID",
	[11] = "GETSEC",
	[12] = "HLT",
	[13] = "INVD",
	[14] = "INVLPG",
	[15] = "RDPMC",
	[16] = "RDTSC",
	[17] = "RSM",
	[18] = "VMCALL",
	[19] = "VMCLEAR",
	[20] = "VMLAUNCH",
	[21] = "VMPTRLD",
	[22] = "VMPTRST",
	[23] = "VMREAD",
	[24] = "VMRESUME",
	[25] = "VMWRITE",
	[26] = "VMXOFF",
	[27] = "VMXON",
	[28] = "CR_ACCESS",
	[29] = "DR_ACCESS",
	[30] = "IO_INSTRUCTION",
	[31] = "MSR_READ",
	[32] = "MSR_WRITE",
	[33] = "INVALID_STATE",
	[34] = "MSR_LOAD_FAIL",
	[36] = "MWAIT_INSTRUCTION",
	[37] = "MONITOR_TRAP_FLAG",
	[39] = "MONITOR_INSTRUCTION",
	[40] = "PAUSE_INSTRUCTION",
	[41] = "MCE_DURING_VMENTRY",
	[43] = "TPR_BELOW_THRESHOLD",
	[44] = "APIC_ACCESS",
	[45] = "EOI_INDUCED",
	[46] = "GDTR_IDTR",
	[47] = "LDTR_TR",
	[48] = "EPT_VIOLATION",
	[49] = "EPT_MISCONFIG",
	[50] = "INVEPT",
	[51] = "RDTSCP",
	[52] = "PREEMPTION_TIMER",
	[53] = "INVVPID",
	[54] = "WBINVD",
	[55] = "XSETBV",
	[56] = "APIC_WRITE",
	[57] = "RDRAND",
	[58] = "INVPCID",
	[59] = "VMFUNC",
	[60] = "ENCLS",
	[61] = "RDSEED",
	[62] = "PML_FULL",
	[63] = "XSAVES",
	[64] = "XRSTORS",
	[65] = "PCONFIG",
	[66] = "SPP_EVENT",
	[67] = "UMWAIT",
	[68] = "TPAUSE",
	[69] = "LOADIWKEY",
	[70] = "ENCLV",
	[72] = "ENQCMD_PASID_FAIL",
	[73] = "ENQCMDS_PASID_FAIL",
	[74] = "BUS_LOCK",
	[75] = "NOTIFY",
	[76] = "SEAMCALL",
	[77] = "TDCALL",
	[78] = "RDMSRLIST",
	[79] = "WRMSRLIST",
	[84] = "MSR_READ_IMM",
	[85] = "MSR_WRITE_IMM",
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
	return reason < NREASONS ? reasons[reason] : NULL;
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
		if (reasons[i] && strcasecmp(name, reasons[i]) == 0) {
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
