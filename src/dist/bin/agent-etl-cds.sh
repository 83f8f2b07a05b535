# Class-data sharing for both launchers (sourced by bin/agent-etl and by the checkout's ./agent-etl): the first command
# that runs a job records the classes it loaded into ARCHIVE.<pid> as it exits (that run takes a second or two
# longer); the next command adopts that file once its process is gone, and from then on every command maps the
# classes from it instead of reading and verifying them from the jars (a third of a short command's start-up).
# A file is adopted only if it is whole (the JVM writes the header, which starts with the archive's magic number,
# after everything else: a run killed while writing leaves a file without it) and holds Camel's classes (a command
# that ran a job). An archive older than the jar is dropped, so a rebuilt jar makes the next command record a new
# one; the JVM itself refuses one that does not match the jars and then loads classes as usual (silently, with
# these -Xlog settings).

# help and the version run no job: recording an archive at their exit would cost half a second for nothing
agent_etl_runs_a_job() {
    [ $# -gt 0 ] && [ "$1" != help ] || return 1
    local a
    for a in "$@"; do case "$a" in -h|--help|-V|--version) return 1 ;; --) return 0 ;; esac; done
}

# agent_etl_cds ARCHIVE JAR [COMMAND LINE...]: sets the array cds to the JVM's options (none, map ARCHIVE, or record
# it), and cds_recording to yes when it is recorded; ARCHIVE's folder must exist
agent_etl_cds() {
    local jsa="$1" jar="$2" f
    shift 2
    cds=()
    cds_recording=no
    if [ -e "$jsa" ] && [ ! "$jsa" -nt "$jar" ]; then rm -f "$jsa"; fi
    for f in "$jsa".[0-9]*; do
        [ -e "$f" ] || continue
        if [ ! "$f" -nt "$jar" ]; then rm -f "$f"
        elif ! kill -0 "${f##*.}" 2>/dev/null; then
            # another command starting at the same moment may adopt or remove the same file: whichever renames it
            # first wins, and the other goes on without failing (and maps the archive if it is there by then)
            if [ ! -e "$jsa" ] && [ "$(od -An -tx4 -N4 "$f" 2>/dev/null | tr -d ' ')" = f00baba8 ] \
                    && grep -qas 'org/apache/camel/main/BaseMainSupport' "$f"; then
                mv -f "$f" "$jsa" 2>/dev/null || true
            else
                rm -f "$f"
            fi
        fi
    done
    if [ -e "$jsa" ]; then
        cds=(-XX:SharedArchiveFile="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
    elif [ -w "$(dirname "$jsa")" ] && agent_etl_runs_a_job "$@"; then
        cds=(-XX:ArchiveClassesAtExit="$jsa.$$" -Xlog:cds=off -Xlog:cds+dynamic=off)   # the launcher execs: same pid
        cds_recording=yes
    fi
}
