# The session both emulators get (after `file` and `target remote`): the
# transcripts are compared after normalising wording (GdbTranscriptTests).
set pagination off
set confirm off
set width 0
p/x $sp
break leaf
continue
bt
info registers
x/8x $sp
finish
next
step
watch counter
continue
continue
delete
continue
