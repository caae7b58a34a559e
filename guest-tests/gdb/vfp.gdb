# VFP/NEON registers on a Cortex-A9 (GdbTranscriptTests): read them at a stop,
# write a d, an s (half of a d) and fpscr, then info registers / all-registers.
set pagination off
set confirm off
set width 0
p/x $sp
break scale
continue
finish
p $d16.f64
p $d17.f64
p $s15
p/x $fpscr
set var $d5.f64 = 2.5
p $d5.f64
p/x $s10
p $s11
set var $s2 = 1.5
p/x $d1.u64
set var $fpscr = 0x03c00000
p/x $fpscr
info registers
info all-registers
continue
