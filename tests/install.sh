#!/bin/sh
# make install / uninstall honour DESTDIR, PREFIX and MANPREFIX.
set -eu
SUITE=install
. "$(dirname "$0")/lib.sh"
cd "$here/.."

dest=$tmp/dest
make -s install DESTDIR="$dest" PREFIX=/usr MANPREFIX=/usr/share/man >"$out" 2>"$err"
check "binary installed under DESTDIR/PREFIX" test -x "$dest/usr/bin/exitstat"
check "exitstat(1) installed under MANPREFIX" test -f "$dest/usr/share/man/man1/exitstat.1"
check "exitstat-cpuid(7) installed under MANPREFIX" test -f "$dest/usr/share/man/man7/exitstat-cpuid.7"
check "bash completion installed under PREFIX" test -f "$dest/usr/share/bash-completion/completions/exitstat"
check "installed binary runs" eval '"$dest/usr/bin/exitstat" --version | grep -q "^exitstat "'
make -s uninstall DESTDIR="$dest" PREFIX=/usr MANPREFIX=/usr/share/man >"$out" 2>"$err"
check "uninstall removes every file" eval '[ -z "$(find "$dest" -type f)" ]'
make -s install DESTDIR="$dest" PREFIX=/opt/x MANPREFIX=/opt/man >"$out" 2>"$err"
check "MANPREFIX apart from PREFIX" eval 'test -x "$dest/opt/x/bin/exitstat" && test -f "$dest/opt/man/man1/exitstat.1"'
make -s uninstall DESTDIR="$dest" PREFIX=/opt/x MANPREFIX=/opt/man >"$out" 2>"$err"
make -s install DESTDIR="$dest" PREFIX=/usr COMPLETIONSDIR=/etc/bash_completion.d >"$out" 2>"$err"
check "COMPLETIONSDIR chooses where the completion goes" test -f "$dest/etc/bash_completion.d/exitstat"
make -s uninstall DESTDIR="$dest" PREFIX=/usr COMPLETIONSDIR=/etc/bash_completion.d >"$out" 2>"$err"
check "uninstall removes the completion from COMPLETIONSDIR" eval '[ -z "$(find "$dest" -type f)" ]'
summary
