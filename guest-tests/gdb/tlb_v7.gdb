# monitor tlb on the Cortex-A9 board after the MMU is on (GdbTranscriptTests).
set pagination off
set confirm off
break checkpoint
continue
monitor tlb
continue
