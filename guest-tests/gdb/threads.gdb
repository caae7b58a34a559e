# Threads: a breakpoint in the worker thread stops both; info threads, bt in
# the worker, the main thread's registers, back to the worker, step, finish,
# then a step of the main thread while it waits in pthread_join (the worker
# runs to its end meanwhile), continue to exit (GdbTranscriptTests normalises thread ids and names).
set pagination off
set confirm off
set width 0
p/x $sp
break add
continue
info threads
bt
p x
p counter
thread 1
p/x $pc
thread 2
p/x $pc
next
finish
delete
thread 1
stepi
p/x $pc
info threads
continue
