# A guest signal reaches gdb, then kills the program when passed on.
set pagination off
set confirm off
set width 0
p/x $sp
continue
bt
p/x $pc
p target
continue
