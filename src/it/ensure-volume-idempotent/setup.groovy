def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
lib.removeVolumes(["sanchoit_vol_idem", "sanchoit_vol_idem_preexisting"])
// A volume that exists before sancho runs, with data and foreign labels: it must be left exactly as it is.
def c = lib.docker("volume", "create", "--label", "owner=someone-else", "sanchoit_vol_idem_preexisting")
assert c.code == 0 : c.err
def mp = lib.docker("volume", "inspect", "--format", "{{.Mountpoint}}", "sanchoit_vol_idem_preexisting").out
new File(mp, "marker.txt").text = "precious data"
true
