// Helpers shared by the ensure-volume-* ITs. Each hook loads it with
//   def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
// and calls lib.docker(...) and lib.removeVolumes(...). They need nothing beyond ItLib.groovy next to this file,
// where every call goes.
import groovy.transform.Field

/** ItLib.groovy, next to this file (the location this script was compiled from). */
@Field final base = new GroovyShell().parse(
        new File(new File(getClass().protectionDomain.codeSource.location.toURI()).parentFile, "ItLib.groovy"))

def methodMissing(String name, args) {
    base.invokeMethod(name, args)
}
