#!/usr/bin/env bash
# A release without the upload, and proof that the build is reproducible:
#   1. copies the sources (tracked and untracked-not-ignored files) to two directories at different paths, with the
#      project version made a release version (0.1.0-SNAPSHOT -> 0.1.0), as a release does
#   2. makes a throwaway GnuPG key (GNUPGHOME in a temporary directory, no passphrase, removed afterwards)
#   3. copy A: `mvn -Prelease deploy -DskipUpload=true` signs with that key, and central-publishing-maven-plugin
#      stages and bundles everything for Maven Central, all but the upload
#   4. checks the bundle as Central would: jar, pom, sources and javadoc jars, each with a .asc that verifies and
#      .md5/.sha1 (and .sha256/.sha512) that match; the pom's required metadata; no SNAPSHOT anywhere
#   5. unpacks the bundle into a file:// staging repository, resolves the plugin from it with strict checksums and runs
#      its help goal
#   6. copy B: `mvn -Prelease verify` without signing; its jar, pom, sources and javadoc jars must equal A's byte for
#      byte (same sources, other directory, other time: project.build.outputTimestamp must make them identical)
#
# Usage: scripts/release-check.sh [--keep]   (--keep leaves the work directory for inspection)
# Needs: java, gpg (Debian's gnupg), python3, unzip; Maven Central for plugins not yet in ~/.m2.
set -euo pipefail

readonly ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEEP=0
[[ ${1:-} == --keep ]] && KEEP=1

WORK=$(mktemp -d /tmp/sancho-release-check.XXXXXX)
cleanup() {
  # The key's agent, if gpg started one, goes with its home.
  if [[ -d $WORK/gnupg ]]; then GNUPGHOME=$WORK/gnupg gpgconf --kill all 2>/dev/null || true; fi
  if [[ $KEEP -eq 1 ]]; then echo "release-check: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
START=$SECONDS
step() { printf -- '-- [%3ds] %s\n' "$((SECONDS - START))" "$*"; }
die() { printf 'release-check: FAILED: %s\n' "$*" >&2; exit 1; }

for tool in java gpg python3 unzip; do command -v "$tool" >/dev/null || die "$tool is not on PATH"; done

# --------------------------------------------------------------------------------------------------- 1. sources
SNAPSHOT=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$ROOT_DIR/pom.xml" | head -n1)
[[ $SNAPSHOT == *-SNAPSHOT ]] || die "pom.xml: the project version (first '  <version>' line) is '$SNAPSHOT', not a -SNAPSHOT"
VERSION=${SNAPSHOT%-SNAPSHOT}
GROUP_PATH=dev/sancho
ARTIFACT=sancho-maven-plugin
step "copying the sources twice, version $SNAPSHOT -> $VERSION"
copy_sources() { # dir
  mkdir -p "$1"
  (cd "$ROOT_DIR" && git ls-files -z --cached --others --exclude-standard \
    | python3 -c 'import os,sys; sys.stdout.write("".join(p + "\0" for p in sys.stdin.read().split("\0") if p and os.path.lexists(p)))' \
    | tar --null -T - -cf -) | tar -xf - -C "$1"
  sed -i "0,/^  <version>$SNAPSHOT<\/version>$/s//  <version>$VERSION<\/version>/" "$1/pom.xml"
  grep -q "^  <version>$VERSION</version>$" "$1/pom.xml" || die "could not set the version in $1/pom.xml"
}
copy_sources "$WORK/a"
copy_sources "$WORK/b/other-path" # another depth too: no path may end up in an artifact

# Each build: no tests, no ITs (the CI's `./mvnw -B verify` ran them), no install into ~/.m2 (a 0.1.0 that was never
# released must not land there), batch mode, and the wrapper's Maven.
MVN_FLAGS=(-B -ntp -Dmaven.test.skip=true -Dinvoker.skip=true -Dmaven.install.skip=true)

# ----------------------------------------------------------------------------------------------- 2. the key
step "generating a throwaway signing key"
export GNUPGHOME=$WORK/gnupg
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-generate-key 'sancho release-check <release-check@sancho.invalid>' \
  ed25519 sign 1d 2>/dev/null
KEY=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
[[ -n $KEY ]] || die "gpg made no key"
echo "key $KEY"

# ------------------------------------------------------------------------------ 3. A: the release, no upload
# The real command (`mvn -Prelease deploy`); -DskipUpload=true makes central-publishing-maven-plugin stop once the
# bundle it would upload is written (target/central-publishing/central-bundle.zip).
step "A: ./mvnw -Prelease deploy -DskipUpload=true (in $WORK/a)"
(cd "$WORK/a" && ./mvnw "${MVN_FLAGS[@]}" -Prelease -Dgpg.keyname="$KEY" -DskipUpload=true deploy \
  </dev/null >"$WORK/a.log" 2>&1) || { tail -n 60 "$WORK/a.log" >&2; die "the release build failed (log above)"; }
BUNDLE=$WORK/a/target/central-publishing/central-bundle.zip
[[ -f $BUNDLE ]] || { tail -n 30 "$WORK/a.log" >&2; die "no bundle at $BUNDLE"; }
STAGING=$WORK/staging
mkdir -p "$STAGING"
unzip -q "$BUNDLE" -d "$STAGING"

# ------------------------------------------------------------------------------------------ 4. check the bundle
step "checking the bundle as Central would"
DIR=$STAGING/$GROUP_PATH/$ARTIFACT/$VERSION
[[ -d $DIR ]] || die "the bundle has no $GROUP_PATH/$ARTIFACT/$VERSION/ (it has: $(cd "$STAGING" && find . -type d | head -n 20 | tr '\n' ' '))"
BASE=$ARTIFACT-$VERSION
FILES=("$BASE.jar" "$BASE.pom" "$BASE-sources.jar" "$BASE-javadoc.jar")
for f in "${FILES[@]}"; do
  [[ -s $DIR/$f ]] || die "missing: $f"
  [[ -s $DIR/$f.asc ]] || die "missing signature: $f.asc"
  [[ $(gpg --batch --quiet --status-fd 1 --verify "$DIR/$f.asc" "$DIR/$f" 2>/dev/null) == *"VALIDSIG $KEY"* ]] \
    || die "$f.asc is not a valid signature of $f by the key $KEY"
  for f2 in "$f" "$f.asc"; do
    for algo in md5 sha1 sha256 sha512; do
      sum=$DIR/$f2.$algo
      # Central requires .md5 and .sha1 of each file (not of the signatures); others, where present, must match.
      if [[ $f2 == "$f" && ($algo == md5 || $algo == sha1) ]]; then [[ -f $sum ]] || die "missing checksum: $f2.$algo"; fi
      [[ -f $sum ]] || continue
      [[ $(tr -d ' \n' <"$sum") == $("${algo}sum" "$DIR/$f2" | cut -d' ' -f1) ]] || die "$f2.$algo does not match $f2"
    done
  done
  printf '  %-42s %9d bytes  signed, md5 sha1%s\n' "$f" "$(stat -c %s "$DIR/$f")" \
    "$([[ -f $DIR/$f.sha256 && -f $DIR/$f.sha512 ]] && echo ' sha256 sha512')"
done
# Nothing else in the bundle, nothing of a snapshot.
unexpected=$(cd "$STAGING" && find . -type f | sed 's|^\./||' | grep -v "^$GROUP_PATH/$ARTIFACT/$VERSION/$BASE\(\.jar\|\.pom\|-sources\.jar\|-javadoc\.jar\)\(\.asc\)\?\(\.md5\|\.sha1\|\.sha256\|\.sha512\)\?$" || true)
[[ -z $unexpected ]] || die "unexpected files in the bundle: $unexpected"
# (Whole outputs compared, not piped into grep -q: under pipefail an early grep exit would fail unzip.)
[[ $(unzip -Z1 "$DIR/$BASE-sources.jar") == *dev/sancho/maven/mojo/DeployMojo.java* ]] || die "the sources jar lacks DeployMojo.java"
[[ $(unzip -Z1 "$DIR/$BASE-javadoc.jar") == *$'\n'index.html$'\n'* ]] || die "the javadoc jar has no index.html"
[[ $(unzip -p "$DIR/$BASE.jar" META-INF/maven/plugin.xml) == *"<version>$VERSION</version>"* ]] \
  || die "the jar's plugin.xml is not version $VERSION"
[[ $(unzip -p "$DIR/$BASE.jar" META-INF/m2e/lifecycle-mapping-metadata.xml) == *"<ignore"* ]] \
  || die "the jar has no META-INF/m2e/lifecycle-mapping-metadata.xml"
python3 - "$DIR/$BASE.pom" "$VERSION" <<'PY' || die "the pom lacks metadata Central requires (above)"
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
pom = ET.parse(sys.argv[1]).getroot()
def text(path):
    e = pom.find(path, ns)
    return (e.text or "").strip() if e is not None else ""
missing = [p for p in ("m:groupId", "m:artifactId", "m:version", "m:name", "m:description", "m:url",
                       "m:licenses/m:license/m:name", "m:licenses/m:license/m:url",
                       "m:developers/m:developer/m:name", "m:scm/m:url", "m:scm/m:connection")
           if not text(p)]
for p in missing:
    print("  pom: no " + p.replace("m:", ""), file=sys.stderr)
if text("m:version") != sys.argv[2]:
    print("  pom: version " + text("m:version") + ", expected " + sys.argv[2], file=sys.stderr); missing.append("v")
if "SNAPSHOT" in open(sys.argv[1], encoding="utf-8").read():
    print("  pom: mentions a SNAPSHOT", file=sys.stderr); missing.append("s")
deps = [d for d in pom.findall("m:dependencies/m:dependency", ns)
        if (d.findtext("m:scope", "compile", ns) or "compile") in ("compile", "runtime")]
for d in deps:  # the jar is shaded: a runtime dependency left in the pom would be resolved for every run
    if d.findtext("m:artifactId", "", ns) != "slf4j-api":
        print("  pom: runtime dependency " + d.findtext("m:artifactId", "", ns) + " (the jar is shaded)", file=sys.stderr)
        missing.append(d)
sys.exit(1 if missing else 0)
PY
echo "  pom: name, description, url, licenses, developers, scm present; version $VERSION"

# ------------------------------------------------------------------ 5. the staged plugin, used from file://
step "running $ARTIFACT:$VERSION:help resolved from the bundle (file://, strict checksums)"
cat >"$WORK/settings.xml" <<EOF
<settings>
  <profiles>
    <profile>
      <id>staging</id>
      <pluginRepositories>
        <pluginRepository>
          <id>staging</id>
          <url>file://$STAGING</url>
          <releases><checksumPolicy>fail</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>
</settings>
EOF
# An empty local repository in front of ~/.m2 (read only, as its tail): the plugin can only come from the bundle.
mkdir -p "$WORK/empty-dir"
(cd "$WORK/empty-dir" && "$WORK/a/mvnw" -B -ntp -C -s "$WORK/settings.xml" -Dmaven.repo.local="$WORK/m2" \
  -Dmaven.repo.local.tail="$HOME/.m2/repository" "dev.sancho:$ARTIFACT:$VERSION:help" </dev/null \
  >"$WORK/help.log" 2>&1) || { tail -n 30 "$WORK/help.log" >&2; die "the staged plugin did not run"; }
grep -q "sancho:deploy" "$WORK/help.log" || { tail -n 30 "$WORK/help.log" >&2; die "its help lists no sancho:deploy"; }
grep -q "^$BASE.jar>staging=$" "$WORK/m2/$GROUP_PATH/$ARTIFACT/$VERSION/_remote.repositories" 2>/dev/null \
  || die "the plugin did not come from the staging repository"
echo "  help ran: $(grep -c '^sancho:' "$WORK/help.log") goals listed"

# ------------------------------------------------------------------------------ 6. B: the same, byte for byte
step "B: ./mvnw -Prelease verify without signing (in $WORK/b/other-path), compared with A"
(cd "$WORK/b/other-path" && ./mvnw "${MVN_FLAGS[@]}" -Prelease -Dgpg.skip=true verify </dev/null \
  >"$WORK/b.log" 2>&1) || { tail -n 60 "$WORK/b.log" >&2; die "the second build failed (log above)"; }
differ=0
for f in "${FILES[@]}"; do
  b=$WORK/b/other-path/target/$f
  [[ $f == *.pom ]] && b=$WORK/b/other-path/dependency-reduced-pom.xml
  [[ -f $b ]] || die "B did not build $f"
  if cmp -s "$DIR/$f" "$b"; then
    printf '  identical  %s  %s\n' "$(sha256sum "$b" | cut -c1-16)" "$f"
  else
    differ=1
    printf '  DIFFERENT  %s\n' "$f" >&2
    if [[ $f == *.jar ]]; then # which entries: name, size, CRC and time per entry
      diff <(unzip -v "$DIR/$f" | awk 'NR > 3 { print $8, $1, $7, $5, $6 }') \
           <(unzip -v "$b" | awk 'NR > 3 { print $8, $1, $7, $5, $6 }') | head -n 20 >&2 || true
    else
      diff "$DIR/$f" "$b" | head -n 20 >&2 || true
    fi
  fi
done
[[ $differ -eq 0 ]] || die "two builds of the same sources differ (not reproducible)"
step "OK: release bundle complete and signed, build reproducible"
