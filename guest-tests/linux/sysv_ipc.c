/* System V IPC: shared memory (two attachments of one segment see each other's writes, a
   forked child writes through its inherited attachment, /proc/self/maps names the
   attachment, IPC_STAT counts attachments, IPC_RMID removes it once detached), semaphores
   (SETVAL/GETVAL, semop all-or-nothing, IPC_NOWAIT's EAGAIN, a child waiting on a semaphore
   its parent raises) and message queues (types, negative types, MSG_EXCEPT, E2BIG,
   MSG_NOERROR, ENOMSG). Keys are IPC_PRIVATE, so runs never meet each other's objects. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static const char *err(long r)
{
    if (r >= 0) return "ok";
    switch (errno) {
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case ENOMSG: return "ENOMSG";
    case E2BIG: return "E2BIG";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EIDRM: return "EIDRM";
    case ERANGE: return "ERANGE";
    case EFBIG: return "EFBIG";
    default: return strerror(errno);
    }
}

static int in_maps(const void *address)
{
    char line[512];
    FILE *f = fopen("/proc/self/maps", "r");
    unsigned long a = (unsigned long)address, s, e;
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx", &s, &e) == 2 && a >= s && a < e) found = strstr(line, "/SYSV") && strstr(line, "rw-s") ? 1 : 2;
    fclose(f);
    return found;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* shared memory */
    int shm = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    printf("shmget: %s\n", err(shm));
    char *a = shmat(shm, NULL, 0), *b = shmat(shm, NULL, 0);
    printf("two attachments: %s, distinct addresses: %s\n", a != (void *)-1 && b != (void *)-1 ? "ok" : "failed", a != b ? "yes" : "no");
    strcpy(a + 9000, "written through a");
    printf("read through b: %s\n", b + 9000);
    printf("/proc/self/maps shows the attachment: %s\n", in_maps(a) == 1 ? "yes, rw-s /SYSV..." : in_maps(a) == 2 ? "a line without /SYSV" : "no");
    struct shmid_ds ds;
    shmctl(shm, IPC_STAT, &ds);
    printf("IPC_STAT: size %zu, attachments %lu\n", ds.shm_segsz, (unsigned long)ds.shm_nattch);
    pid_t child = fork();
    if (child == 0) {
        strcpy(b + 100, "written by the child");
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("after the child: %s\n", a + 100);
    printf("shmat misaligned without SHM_RND: %s\n", err((long)shmat(shm, (void *)0x50001000, 0)));
    printf("shmdt(b): %s, shmdt(b) again: %s\n", err(shmdt(b)), err(shmdt(b)));
    printf("IPC_RMID: %s\n", err(shmctl(shm, IPC_RMID, NULL)));
    printf("still readable until detached: %s\n", a + 9000);
    printf("shmdt(a): %s; shmat after removal: %s\n", err(shmdt(a)), err((long)shmat(shm, NULL, 0)));
    printf("shmget of size 0: %s\n", err(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600)));

    /* semaphores */
    int sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    printf("semget: %s\n", err(sem));
    union semun arg = {.val = 1};
    printf("SETVAL 1: %s, GETVAL: %d\n", err(semctl(sem, 0, SETVAL, arg)), semctl(sem, 0, GETVAL));
    struct sembuf both[2] = {{0, -1, 0}, {1, -1, IPC_NOWAIT}};
    printf("semop taking 0 and 1 (1 is zero) with IPC_NOWAIT: %s; 0 is still %d\n", err(semop(sem, both, 2)), semctl(sem, 0, GETVAL));
    struct sembuf take = {0, -1, 0}, give = {1, 2, 0};
    printf("semop take 0: %s, give 2 to 1: %s; values %d %d\n", err(semop(sem, &take, 1)), err(semop(sem, &give, 1)),
           semctl(sem, 0, GETVAL), semctl(sem, 1, GETVAL));
    struct sembuf bad = {5, 1, 0};
    printf("semop on semaphore 5 of 2: %s\n", err(semop(sem, &bad, 1)));
    child = fork();
    if (child == 0) {
        struct sembuf wait_for = {0, -1, 0};
        int r = semop(sem, &wait_for, 1);
        printf("child: waited for semaphore 0: %s\n", err(r));
        _exit(0);
    }
    struct sembuf post = {0, 1, 0};
    semop(sem, &post, 1);
    waitpid(child, NULL, 0);
    unsigned short all[2];
    arg.array = all;
    semctl(sem, 0, GETALL, arg);
    printf("GETALL after the child: %d %d\n", all[0], all[1]);
    printf("IPC_RMID: %s; GETVAL after: %s\n", err(semctl(sem, 0, IPC_RMID)), err(semctl(sem, 0, GETVAL)));

    /* message queues */
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    printf("msgget: %s\n", err(q));
    struct { long type; char text[64]; } m;
    for (int t = 1; t <= 3; t++) {
        m.type = t;
        snprintf(m.text, sizeof m.text, "message of type %d", t);
        msgsnd(q, &m, strlen(m.text) + 1, 0);
    }
    m.type = 0;
    printf("msgsnd type 0: %s\n", err(msgsnd(q, &m, 4, 0)));
    long n = msgrcv(q, &m, sizeof m.text, 2, 0);
    printf("msgrcv type 2: %ld bytes, type %ld, \"%s\"\n", n, m.type, m.text);
    n = msgrcv(q, &m, sizeof m.text, 1, MSG_EXCEPT);
    printf("msgrcv not type 1: type %ld\n", m.type);
    n = msgrcv(q, &m, 4, 0, 0);
    printf("msgrcv into 4 bytes: %s\n", err(n));
    n = msgrcv(q, &m, 4, -5, MSG_NOERROR);
    printf("msgrcv lowest type up to 5, truncated: %ld bytes, type %ld\n", n, m.type);
    printf("msgrcv from an empty queue with IPC_NOWAIT: %s\n", err(msgrcv(q, &m, sizeof m.text, 0, IPC_NOWAIT)));
    struct msqid_ds qs;
    msgctl(q, IPC_STAT, &qs);
    printf("IPC_STAT: %lu messages\n", (unsigned long)qs.msg_qnum);
    printf("IPC_RMID: %s; msgsnd after: %s\n", err(msgctl(q, IPC_RMID, NULL)), err(msgsnd(q, &m, 4, 0)));
    printf("msgget of a missing key: %s\n", err(msgget(0x7a7a0001, 0)));
    return 0;
}
