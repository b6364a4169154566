CREATE TABLE product (id serial PRIMARY KEY, name text NOT NULL);
