def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("backup-storage-full")
lib.removeContainers(["sanchofull_db", "sanchofull_sancho_lock"])
lib.removeProject("sanchofull", ["sanchofull_pgdata", "sanchofull_backups"], ["sanchofull_default"])
// the backups volume, made before sancho would create it: 64 KiB of tmpfs, smaller than the dump
lib.dockerOk("volume", "create", "--driver", "local", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt",
        "o=size=64k", "sanchofull_backups")
true
