// sancho:config prints the merged stack: override file, include (own .env, own paths), extends from another file,
// profiles, and an explicit list of files.
def text = { String name -> new File(basedir, "target/" + name).getText("UTF-8") }
def dir = basedir.canonicalPath

def merged = text("stack.yml")
assert merged.contains("# merged from docker-compose.yml, infra/compose.yml, common/services.yml, docker-compose.override.yml")
assert merged.contains("# profiles: none active; not deployed: adminer (debug)")
assert merged.contains("name: shop")
// web: the base from common/services.yml, then docker-compose.yml, then the override
assert merged.contains("x-sancho-container-name: shop_web_42")
assert merged.contains('container_name: shop_web_${DEPLOY_ID}') : "an application's name deploys again with its id"
assert merged.contains("image: shop/web:1.4.0")
assert merged.contains("SPRING_PROFILES_ACTIVE: dev") : "the override's value wins"
assert merged.contains("DEBUG: 'true'")
assert merged.contains("JAVA_OPTS: -Xmx512m") : "from the extends base"
assert merged.contains("LOG_FORMAT: json") : "from the base's env_file, relative to common/"
assert merged.contains("- 127.0.0.1:8080:8080/tcp")
assert merged.contains("- 127.0.0.1:5005:5005/tcp") : "the override's port is added"
assert merged.contains("source: " + dir + "/common/config\n      target: /app/config") : "relative to the file extends reads"
assert merged.contains("- java\n    - -agentlib:jdwp=transport=dt_socket,server=y,address=*:5005") : "command replaced"
// db: included from infra/, its .env gives PG_VERSION, the project's .env wins for DB_PASSWORD (masked)
assert merged.contains("image: postgres:16")
assert merged.contains("POSTGRES_PASSWORD: '******'")
assert !merged.contains("from-the-project-env") && !merged.contains("from-the-infra-env")
assert merged.contains("source: " + dir + "/infra/init\n      target: /docker-entrypoint-initdb.d") : "relative to infra/"
assert merged.contains("- 127.0.0.1:5432:5432/tcp") : "the override changes the included db"
assert merged.contains("x-sancho-role: infra")
assert !merged.contains("adminer:")

def debug = text("stack-debug.yml")
assert debug.contains("# profiles: debug")
assert debug.contains("  adminer:\n")
assert debug.contains("image: adminer:4")

def list = text("stack-list.yml")
assert list.contains("# merged from docker-compose.yml, infra/compose.yml, common/services.yml, prod.yml")
assert !list.contains("docker-compose.override.yml") : "a file list gets no override file"
assert list.contains("SPRING_PROFILES_ACTIVE: prod,metrics")
assert list.contains("- 127.0.0.1:80:8080/tcp")
assert !list.contains("8080:8080/tcp") : "!override replaced the ports"
assert !list.contains("5432:5432") && !list.contains("DEBUG")
true
