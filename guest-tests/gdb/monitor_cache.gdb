# monitor cache over the back buffer of the LCD/DMA seed (lcd_dma.flush):
# dirty lines in the D-cache before arm926_flush_kern_cache_all, none after.
set pagination off
set confirm off
break arm926_flush_kern_cache_all
continue
monitor cache 0x2257a0 64
break *$lr
continue
monitor cache 0x2257a0 64
monitor cache stats
monitor icount
delete
continue
